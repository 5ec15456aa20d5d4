/**
 * What a Dockerfile makes PID 1 (kubernetes-semantics §6.1): ENTRYPOINT and CMD combined the way
 * Docker combines them, init wrappers (tini, dumb-init) recognised, and shell scripts that do or
 * do not `exec` their server.
 */
import type { DockerfileInstruction, DockerfileView } from './types.js';

export function lastInstruction(view: DockerfileView, keyword: string): DockerfileInstruction | undefined {
  for (let i = view.instructions.length - 1; i >= 0; i--) if (view.instructions[i]!.keyword === keyword) return view.instructions[i];
  return undefined;
}

export interface EffectiveCommand {
  entrypoint: DockerfileInstruction | undefined;
  /** CMD, unless a shell-form ENTRYPOINT makes Docker ignore it (§6.1 "Combining them"). */
  cmd: DockerfileInstruction | undefined;
  /** The instruction that decides PID 1: shell-form ENTRYPOINT, else ENTRYPOINT, else CMD. */
  decisive: DockerfileInstruction | undefined;
  /** argv of PID 1 when everything is exec form; undefined when shell form is involved. */
  argv: string[] | undefined;
}

export function effectiveCommand(view: DockerfileView): EffectiveCommand {
  const entrypoint = lastInstruction(view, 'ENTRYPOINT');
  let cmd = lastInstruction(view, 'CMD');
  if (entrypoint && !entrypoint.execForm) cmd = undefined;
  const decisive = entrypoint ?? cmd;
  let argv: string[] | undefined;
  if (entrypoint?.execForm && (!cmd || cmd.execForm)) argv = [...entrypoint.execForm, ...(cmd?.execForm ?? [])];
  else if (!entrypoint && cmd?.execForm) argv = [...cmd.execForm];
  return { entrypoint, cmd, decisive, argv };
}

export function executableName(arg: string): string {
  return arg.slice(arg.lastIndexOf('/') + 1).toLowerCase();
}

const INIT_WRAPPERS = new Set(['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit']);

export function isInitWrapper(arg: string | undefined): boolean {
  return arg !== undefined && INIT_WRAPPERS.has(executableName(arg));
}

/** argv with a leading init wrapper and its options removed: the process the wrapper runs. */
export function unwrapInit(argv: readonly string[]): { wrapped: boolean; argv: string[]; wrapperArgs: string[] } {
  if (!isInitWrapper(argv[0])) return { wrapped: false, argv: [...argv], wrapperArgs: [] };
  let i = 1;
  const wrapperArgs: string[] = [];
  while (i < argv.length && argv[i]!.startsWith('-')) {
    if (argv[i] === '--') {
      i++;
      break;
    }
    wrapperArgs.push(argv[i]!);
    // Options that take a value: dumb-init --rewrite s:r / -r s:r, tini -e code / -p signal.
    if (/^(-r|--rewrite|-e|-p)$/.test(argv[i]!) && i + 1 < argv.length) wrapperArgs.push(argv[++i]!);
    i++;
  }
  return { wrapped: true, argv: argv.slice(i), wrapperArgs };
}

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
export const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'npx']);

/** `sh -c SCRIPT` style argv: the shell and the script, or undefined. */
export function shellInvocation(argv: readonly string[]): { shell: string; script: string | undefined } | undefined {
  if (argv.length === 0) return undefined;
  let shell = executableName(argv[0]!);
  let rest = argv.slice(1);
  if (shell === 'busybox' && rest[0] && SHELLS.has(executableName(rest[0]))) {
    shell = executableName(rest[0]);
    rest = rest.slice(1);
  }
  if (!SHELLS.has(shell) || shell === 'busybox') return undefined;
  const flagIdx = rest.findIndex((a) => /^-[a-z]*c[a-z]*$/i.test(a));
  if (flagIdx < 0) return undefined;
  return { shell, script: rest[flagIdx + 1] };
}

/** The script hands PID 1 to the server with `exec cmd` (not a bare `exec >log` redirect). */
export function scriptExecsServer(script: string): boolean {
  return /(^|[;&|\n(]|&&|\|\||\bthen|\bdo|\belse)\s*exec\s+(?![<>0-9&])\S/.test(script);
}

/** A lone simple command that bash replaces itself with (bash execs it; dash does not, §6.1 measured). */
export function isLoneSimpleCommand(script: string): boolean {
  const s = script.trim();
  return s !== '' && !/[;&|\n`(){}]|\$\(/.test(s) && !/^(if|for|while|until|case)\b/.test(s);
}

/** Offset just after the last top-level command separator (`;`, `&&`, `||`, `|`, newline) outside quotes. */
function lastCommandStart(script: string): number {
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\') i++;
    else if (ch === ';' || ch === '\n' || ch === '|' || ch === '&') start = i + 1;
  }
  return start;
}

/** The last command of a script: the one that should `exec` the server. */
export function lastCommandOf(script: string): string {
  return script.slice(lastCommandStart(script)).trim();
}

/** `cd /app && node server.js` → `cd /app && exec node server.js`: the fix text for shell wrappers. */
export function withExecOnLastCommand(script: string): string {
  const t = script.trim();
  const start = lastCommandStart(t);
  const head = t.slice(0, start);
  return `${head}${head === '' ? '' : ' '}exec ${t.slice(start).trim()}`;
}

/** `nginx -g "daemon off;"` → ["nginx","-g","daemon off;"]: a best-effort split for the fix text. */
export function shellWords(raw: string): string[] {
  const words: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}
