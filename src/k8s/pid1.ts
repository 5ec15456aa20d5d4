/**
 * Who PID 1 of a container is, and whether the stop signal reaches the program that should get
 * it: the argv the runtime starts (ENTRYPOINT + CMD, or a pod's command + args) followed through
 * init wrappers, `sh -c` scripts, entrypoint scripts and package managers
 * (docs/reference/signals.md#pid-1). Pure: the shell of the image and the text of scripts are
 * passed in when the input has them, and everything else is "unknown", never a guess.
 */
import { executableName } from './servers.js';
import { scriptShape, type ScriptShape, type SimpleCommand } from './shellScript.js';
import { shellExecsLastCommand, shellNamed, type ImageShell } from './shells.js';
import { PACKAGE_MANAGERS, runtimeFor, type PackageManagerKnowledge, type RuntimeKnowledge } from './runtimes.js';

/** Init programs that forward signals to their child and reap zombies. */
const INIT_WRAPPERS = new Set(['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit']);
/** Shells whose `-c` and PID-1 behaviour src/k8s/shells.ts knows. */
const SHELL_EXECUTABLES = new Set(['sh', 'bash', 'ash', 'dash']);

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

export interface ShellInvocation {
  /** The shell as invoked (`sh`, `bash`). */
  shell: string;
  /** argv index of the `-c` script, when there is one. */
  scriptIndex: number | undefined;
  script: string | undefined;
}

/**
 * `sh -c SCRIPT`-style argv (also `busybox sh -c`, `sh -ec`, and options between `-c` and the
 * script as in `sh -c -x SCRIPT`): the shell and its script, or undefined.
 */
export function shellInvocation(argv: readonly string[]): ShellInvocation | undefined {
  if (argv.length === 0) return undefined;
  let shell = executableName(argv[0]!);
  let at = 1;
  if (shell === 'busybox' && argv[1] && SHELL_EXECUTABLES.has(executableName(argv[1]))) {
    shell = executableName(argv[1]);
    at = 2;
  }
  if (!SHELL_EXECUTABLES.has(shell)) return undefined;
  let sawC = false;
  for (let i = at; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return sawC ? { shell, scriptIndex: i + 1 < argv.length ? i + 1 : undefined, script: argv[i + 1] } : undefined;
    if (/^[-+][a-z]+$/i.test(a)) {
      if (a.startsWith('-') && a.includes('c')) sawC = true;
      // `-o name` takes the option's name as the next word.
      if (a === '-o' || a === '+o') i++;
      continue;
    }
    return sawC ? { shell, scriptIndex: i, script: a } : undefined;
  }
  return sawC ? { shell, scriptIndex: undefined, script: undefined } : undefined;
}

/** `sh /start.sh`, `bash -e ./run.sh`: a shell running a script file. */
function shellScriptFile(argv: readonly string[]): { shell: string; path: string; index: number } | undefined {
  const shell = executableName(argv[0] ?? '');
  if (!SHELL_EXECUTABLES.has(shell)) return undefined;
  const i = argv.findIndex((a, k) => k > 0 && !a.startsWith('-'));
  return i > 0 ? { shell, path: argv[i]!, index: i } : undefined;
}

/** What the input tells about the container beyond its argv. */
export interface Pid1Context {
  /** The image's /bin/sh, when known. */
  imageShell: ImageShell | undefined;
  /** The text of a file in the container by its path, when the input holds it (a ConfigMap, a file COPY'd by the Dockerfile). */
  readFile?: (path: string) => string | undefined;
  /** Known scripts that end by exec'ing their arguments (the entrypoints of official images). */
  execsArguments?: (path: string) => boolean;
}

export type Pid1 =
  /** tini or dumb-init: it forwards the signal to what it runs. */
  | { kind: 'init'; wrapper: string; wrapperArgs: string[]; child: Pid1 | undefined }
  /**
   * `sh -c SCRIPT`: `execs` says whether the script's program ends up as PID 1 (true), the shell
   * stays PID 1 (false), or that depends on which shell the image has ('depends').
   */
  | {
      kind: 'shell';
      shell: string;
      resolved: ImageShell | undefined;
      script: string | undefined;
      scriptIndex: number | undefined;
      shape: ScriptShape | undefined;
      execs: boolean | 'depends';
      next: Pid1 | undefined;
    }
  /** A script file as PID 1: `execs` from its text, or 'unread' when the input does not hold it. */
  | {
      kind: 'script';
      path: string;
      /** The arguments the script is given (`"$@"` inside it). */
      args: string[];
      interpreter: string | undefined;
      text: string | undefined;
      shape: ScriptShape | undefined;
      execs: 'yes' | 'no' | 'unknown' | 'unread';
      next: Pid1 | undefined;
    }
  | { kind: 'package-manager'; manager: PackageManagerKnowledge; argv: string[] }
  | { kind: 'runtime'; runtime: RuntimeKnowledge; argv: string[] }
  | { kind: 'program'; argv: string[] };

/** A path that names a script rather than a binary: `*.sh`, or a file the input holds that starts with `#!`. */
function scriptText(path: string, ctx: Pid1Context): { text: string | undefined; isScript: boolean } {
  const text = ctx.readFile?.(path);
  if (text !== undefined) return { text, isScript: text.startsWith('#!') || /\.(sh|bash)$/.test(path) };
  return { text: undefined, isScript: /\.(sh|bash)$/.test(path) };
}

function interpreterOf(text: string | undefined): string | undefined {
  const m = text ? /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text) : null;
  if (!m) return undefined;
  return executableName(m[1]!) === 'env' && m[2] ? executableName(m[2]) : executableName(m[1]!);
}

/** The argv a simple command runs, when all its words are literal (`exec node server.js` → ["node", "server.js"]). */
function literalWords(c: SimpleCommand | undefined): string[] | undefined {
  if (c?.kind !== 'simple') return undefined;
  const words = c.words.map((w) => w.literal);
  if (!words.every((w): w is string => w !== undefined)) return undefined;
  return words[0] === 'exec' ? words.slice(1) : words;
}

/** The command a script hands PID 1 to: its top-level `exec CMD`, else (for `-c` scripts a shell execs) its last command. */
function handedTo(shape: ScriptShape | undefined, args: readonly string[], ctx: Pid1Context, depth: number): Pid1 | undefined {
  if (!shape) return undefined;
  const exec = [...shape.items].reverse().find((i) => i.command.kind === 'simple' && i.command.words[0]?.literal === 'exec')?.command;
  const target = (exec ?? shape.last) as SimpleCommand;
  if (target.kind !== 'simple') return undefined;
  // `exec "$@"`: the script's arguments.
  if (target.words.length >= 1 && target.words[target.words[0]?.literal === 'exec' ? 1 : 0]?.raw === '"$@"')
    return args.length > 0 ? pid1Of(args, ctx, depth + 1) : undefined;
  const argv = literalWords(target);
  return argv && argv.length > 0 ? pid1Of(argv, ctx, depth + 1) : undefined;
}

/**
 * Follows an argv to the process that ends up as PID 1 (and what it runs under), as deep as the
 * input lets it see.
 */
export function pid1Of(argv: readonly string[], ctx: Pid1Context, depth = 0): Pid1 | undefined {
  if (argv.length === 0 || depth > 4) return undefined;
  const init = unwrapInit(argv);
  if (init.wrapped) return { kind: 'init', wrapper: executableName(argv[0]!), wrapperArgs: init.wrapperArgs, child: pid1Of(init.argv, ctx, depth + 1) };
  const sh = shellInvocation(argv);
  if (sh) {
    const resolved = shellNamed(sh.shell, ctx.imageShell);
    const shape = sh.script !== undefined ? scriptShape(sh.script) : undefined;
    const args = sh.scriptIndex !== undefined ? argv.slice(sh.scriptIndex + 2) : [];
    let execs: boolean | 'depends';
    if (resolved === 'none') execs = false;
    else if (!shape) execs = sh.script === undefined ? false : 'depends';
    else if (shape.execs === 'yes') execs = true;
    else if (shape.execs === 'unknown') execs = 'depends';
    else execs = shellExecsLastCommand(resolved, shape);
    const next = execs === false ? undefined : handedTo(shape, args, ctx, depth);
    return { kind: 'shell', shell: sh.shell, resolved, script: sh.script, scriptIndex: sh.scriptIndex, shape, execs, next };
  }
  const file = shellScriptFile(argv);
  const path = file ? file.path : argv[0]!;
  const { text, isScript } = scriptText(path, ctx);
  const known = ctx.execsArguments?.(path) === true;
  if (file || isScript || known) {
    const args = argv.slice(file ? file.index + 1 : 1);
    const shape = text !== undefined ? scriptShape(text) : undefined;
    const execs = text === undefined ? (known ? 'yes' : 'unread') : !shape ? 'unknown' : shape.execs;
    const next = execs === 'yes' ? (text === undefined ? pid1Of(args, ctx, depth + 1) : handedTo(shape, args, ctx, depth)) : undefined;
    return { kind: 'script', path, args, interpreter: file?.shell ?? interpreterOf(text), text, shape, execs, next };
  }
  const exe = executableName(argv[0]!);
  // `bundle exec CMD` becomes CMD in the same process (Kernel.load for Ruby executables, else
  // Kernel.exec: https://bundler.io/man/bundle-exec.1.html), so CMD receives the stop signal.
  if (exe === 'bundle' && argv[1] === 'exec' && argv.length > 2) return pid1Of(argv.slice(2), ctx, depth + 1);
  const manager = PACKAGE_MANAGERS[exe];
  if (manager) return { kind: 'package-manager', manager, argv: [...argv] };
  const runtime = runtimeFor(exe);
  if (runtime) return { kind: 'runtime', runtime, argv: [...argv] };
  return { kind: 'program', argv: [...argv] };
}

/** The process that ends up as PID 1, following shells and scripts that exec (not through an init, which stays PID 1). */
export function finalPid1(p: Pid1 | undefined): Pid1 | undefined {
  let cur = p;
  for (let i = 0; i < 8 && cur; i++) {
    if (cur.kind === 'shell' && cur.execs === true && cur.next) cur = cur.next;
    else if (cur.kind === 'script' && cur.execs === 'yes' && cur.next) cur = cur.next;
    else return cur;
  }
  return cur;
}

type Node<K extends Pid1['kind']> = Extract<Pid1, { kind: K }>;

/** Where the stop signal ends up, as one verdict the rules can report from. */
export type Pid1Verdict =
  /** An init wrapper is PID 1 and forwards the signal. */
  | { verdict: 'init'; at: Node<'init'> }
  /** A shell stays PID 1 (it ignores SIGTERM there and passes nothing on). */
  | { verdict: 'shell-stays'; at: Node<'shell'> }
  /** A shell stays PID 1 but traps TERM: it acts on the signal, and what it does is the script's business. */
  | { verdict: 'shell-traps'; at: Node<'shell'> }
  /** Whether the shell execs its last command depends on which shell the image has. */
  | { verdict: 'shell-depends'; at: Node<'shell'> }
  /** A script the input holds is PID 1 and does not exec its server. */
  | { verdict: 'script-stays'; at: Node<'script'> }
  /** A script is PID 1 and the input does not show whether it execs (not held, or exec only in a branch). */
  | { verdict: 'script-unverified'; at: Node<'script'> }
  | { verdict: 'package-manager'; at: Node<'package-manager'> }
  /** A language runtime is PID 1 with no init: whether it stops depends on the app's handler. */
  | { verdict: 'runtime'; at: Node<'runtime'> }
  /** Another program is PID 1 and gets the signal itself. */
  | { verdict: 'program'; at: Node<'program'> };

/** Follows shells and scripts that exec to the process that gets the stop signal, and says what it is. */
export function pid1Verdict(p: Pid1 | undefined): Pid1Verdict | undefined {
  let cur = p;
  for (let i = 0; i < 8 && cur; i++) {
    switch (cur.kind) {
      case 'init':
        return { verdict: 'init', at: cur };
      case 'shell':
        if (cur.execs === false) return { verdict: cur.shape?.handlesTerm ? 'shell-traps' : 'shell-stays', at: cur };
        if (cur.execs === 'depends') return { verdict: 'shell-depends', at: cur };
        if (!cur.next) return undefined;
        cur = cur.next;
        break;
      case 'script':
        if (cur.execs === 'no') return { verdict: 'script-stays', at: cur };
        if (cur.execs !== 'yes') return { verdict: 'script-unverified', at: cur };
        if (!cur.next) return undefined;
        cur = cur.next;
        break;
      case 'package-manager':
        return { verdict: 'package-manager', at: cur };
      case 'runtime':
        return { verdict: 'runtime', at: cur };
      case 'program':
        return { verdict: 'program', at: cur };
    }
  }
  return undefined;
}
