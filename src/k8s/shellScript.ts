/**
 * The shape of a POSIX shell script as far as PID 1 is concerned: its top-level commands, the last
 * one, whether it `exec`s a program, and the edits that make its server replace the shell. Enough
 * of the shell grammar (quotes, `$(…)`, redirections, compound commands) is read to find command
 * boundaries; anything it does not follow (here-documents, unbalanced quotes) gives `undefined`,
 * which callers treat as "unknown", never as a finding.
 */

export interface Word {
  /** The word as written. */
  raw: string;
  start: number;
  end: number;
  /** Its value after quote removal when the shell would not expand anything in it (no `$`, backtick, glob or `~`). */
  literal?: string;
}

export interface SimpleCommand {
  kind: 'simple';
  start: number;
  end: number;
  /** Leading `NAME=value` words. */
  assignments: Word[];
  /** The command name and its arguments. */
  words: Word[];
  redirected: boolean;
  /** `! cmd` or `time cmd`, which no shell execs in place. */
  negatedOrTimed: boolean;
}

export interface OtherCommand {
  /** A pipeline, a compound command (`if`, loops, `{ }`, `( )`, a function), or a background job. */
  kind: 'pipeline' | 'compound' | 'background';
  start: number;
  end: number;
}

export type Command = SimpleCommand | OtherCommand;

export interface ListItem {
  command: Command;
  /** How it joins the command before it. */
  connector: 'start' | ';' | '&&' | '||';
}

export interface ScriptShape {
  items: ListItem[];
  commandCount: number;
  last: Command;
  /** A `trap` with an action (not `''` or `-`): shells then keep running to serve it. */
  setsTrapHandler: boolean;
  /** A `trap` with an action for TERM: the shell handles SIGTERM itself, also as PID 1. */
  handlesTerm: boolean;
  /**
   * `yes` when a top-level `exec CMD` hands the process to CMD, `no` when nothing in the script
   * execs a program, `unknown` when an `exec` sits only inside a compound command or a function.
   */
  execs: 'yes' | 'no' | 'unknown';
}

type Token = { type: 'word'; word: Word } | { type: 'op'; op: string; start: number; end: number } | { type: 'redir'; start: number; end: number };

const OPERATORS = ['&&', '||', ';;', ';', '&', '|', '(', ')', '\n'];
const REDIRECTION = /^(\d*)(>>|>&|<&|<>|>\||>|<)|^&>>?/;

class Unsupported extends Error {}

/** Reads one word starting at `i`: returns its end and its literal value when it has one. */
function scanWord(s: string, i: number): { end: number; literal: string | undefined } {
  let out = '';
  let literal = true;
  const start = i;
  while (i < s.length) {
    const ch = s[i]!;
    // Only blanks and newlines separate words: \s would also stop at a form feed, a no-break
    // space or U+2028, which a shell reads as part of the word (and which tokenize does not skip).
    if (/[ \t\r\n;&|()<>]/.test(ch)) break;
    if (ch === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) throw new Unsupported('unbalanced quote');
      out += s.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          const next = s[i + 1]!;
          out += /[$`"\\\n]/.test(next) ? next : `\\${next}`;
          i += 2;
        } else if (s[i] === '$' || s[i] === '`') {
          literal = false;
          i = skipExpansion(s, i);
        } else out += s[i++];
      }
      if (i >= s.length) throw new Unsupported('unbalanced quote');
      i++;
    } else if (ch === '\\') {
      if (s[i + 1] !== '\n') out += s[i + 1] ?? '';
      i += 2;
    } else if (ch === '$' || ch === '`') {
      literal = false;
      i = skipExpansion(s, i);
    } else {
      if (/[*?[]/.test(ch) || (ch === '~' && i === start)) literal = false;
      out += ch;
      i++;
    }
  }
  return { end: i, literal: literal ? out : undefined };
}

/** Skips `$name`, `${…}`, `$(…)`, `$((…))` or a backtick command, honouring nesting and quotes. */
function skipExpansion(s: string, i: number): number {
  if (s[i] === '`') {
    let j = i + 1;
    while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) throw new Unsupported('unbalanced backtick');
    return j + 1;
  }
  const open = s[i + 1];
  if (open !== '(' && open !== '{') {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(i));
    return i + (m ? m[0].length : 1);
  }
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === "'" && open === '(') {
      const q = s.indexOf("'", j + 1);
      if (q < 0) throw new Unsupported('unbalanced quote');
      j = q + 1;
      continue;
    }
    if (c === '"') {
      j++;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      j++;
      continue;
    }
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
    j++;
  }
  throw new Unsupported('unbalanced expansion');
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let wordStart = true;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      wordStart = true;
      continue;
    }
    if (ch === '#' && wordStart) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    const rest = s.slice(i);
    if (rest.startsWith('<<')) throw new Unsupported('here-document');
    const redir = /^\d*[<>]/.test(rest) || rest.startsWith('&>') ? REDIRECTION.exec(rest) : null;
    if (redir) {
      tokens.push({ type: 'redir', start: i, end: i + redir[0].length });
      i += redir[0].length;
      wordStart = true;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ type: 'op', op, start: i, end: i + op.length });
      i += op.length;
      wordStart = true;
      continue;
    }
    const { end, literal } = scanWord(s, i);
    // A word reads at least one character; anything else would loop here for ever.
    if (end === i) throw new Unsupported(`unexpected character ${JSON.stringify(ch)}`);
    tokens.push({ type: 'word', word: { raw: s.slice(i, end), start: i, end, ...(literal !== undefined ? { literal } : {}) } });
    i = end;
    wordStart = false;
  }
  return tokens;
}

const OPENERS: Readonly<Record<string, string>> = { if: 'fi', case: 'esac', while: 'done', until: 'done', for: 'done', select: 'done', '{': '}' };
const SEPARATORS = new Set([';', '&', '&&', '||', '|', '\n', ';;']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Index just past the compound command opened at `i` (a keyword or `(`), and past any redirections after it. */
function skipCompound(tokens: Token[], i: number): number {
  const stack: string[] = [];
  let commandPosition = true;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!;
    const top = stack[stack.length - 1];
    if (t.type === 'op') {
      if (t.op === '(' && top !== 'esac') stack.push(')');
      else if (t.op === ')' && top === ')') stack.pop();
      commandPosition = SEPARATORS.has(t.op) || t.op === '(' || t.op === ')';
    } else if (t.type === 'word') {
      const w = t.word.literal;
      if (commandPosition && w !== undefined && OPENERS[w]) stack.push(OPENERS[w]!);
      else if (commandPosition && w !== undefined && w === top) stack.pop();
      // A command follows these words; after `for`/`case` comes a name, after a closer a separator.
      commandPosition = w !== undefined && /^(if|while|until|then|do|else|elif|!|\{)$/.test(w);
    }
    if (stack.length === 0) {
      let k = j + 1;
      while (tokens[k]?.type === 'redir') k += tokens[k + 1]?.type === 'word' ? 2 : 1;
      return k;
    }
  }
  throw new Unsupported('unterminated compound command');
}

function tokenStart(t: Token): number {
  return t.type === 'word' ? t.word.start : t.start;
}
function tokenEnd(t: Token): number {
  return t.type === 'word' ? t.word.end : t.end;
}

/** One command of a pipeline starting at `i`: returns it and the index after it. */
function parseCommand(tokens: Token[], i: number, negatedOrTimed: boolean): { command: Command; next: number } {
  const first = tokens[i]!;
  const firstWord = first.type === 'word' ? first.word.literal : undefined;
  const opensCompound = (first.type === 'op' && first.op === '(') || (firstWord !== undefined && OPENERS[firstWord] !== undefined);
  const definesFunction = first.type === 'word' && tokens[i + 1]?.type === 'op' && (tokens[i + 1] as { op: string }).op === '(';
  if (opensCompound || definesFunction) {
    const bodyAt = definesFunction ? i + 3 : i;
    const next = skipCompound(tokens, bodyAt);
    return { command: { kind: 'compound', start: tokenStart(first), end: tokenEnd(tokens[next - 1]!) }, next };
  }
  const assignments: Word[] = [];
  const words: Word[] = [];
  let redirected = false;
  let j = i;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type === 'op') break;
    if (t.type === 'redir') {
      redirected = true;
      if (tokens[j + 1]?.type === 'word') j++;
      continue;
    }
    if (words.length === 0 && ASSIGNMENT.test(t.word.raw)) assignments.push(t.word);
    else words.push(t.word);
  }
  const end = j > i ? tokenEnd(tokens[j - 1]!) : tokenStart(first);
  return { command: { kind: 'simple', start: tokenStart(first), end, assignments, words, redirected, negatedOrTimed }, next: j };
}

function parse(tokens: Token[]): ListItem[] {
  const items: ListItem[] = [];
  let connector: ListItem['connector'] = 'start';
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.type === 'op' && (t.op === ';' || t.op === '\n')) {
      if (connector === 'start' && items.length > 0) connector = ';';
      i++;
      continue;
    }
    if (t.type === 'op' && t.op !== '(') throw new Unsupported(`unexpected ${t.op}`);
    let negatedOrTimed = false;
    while (tokens[i]?.type === 'word' && /^(!|time)$/.test((tokens[i] as { word: Word }).word.raw)) {
      negatedOrTimed = true;
      i++;
    }
    if (i >= tokens.length) break;
    const commands: Command[] = [];
    for (;;) {
      const { command, next } = parseCommand(tokens, i, negatedOrTimed);
      commands.push(command);
      i = next;
      const sep = tokens[i];
      if (sep?.type === 'op' && sep.op === '|') {
        i++;
        continue;
      }
      break;
    }
    let command: Command = commands.length === 1 ? commands[0]! : { kind: 'pipeline', start: commands[0]!.start, end: commands[commands.length - 1]!.end };
    const sep = tokens[i];
    if (sep?.type === 'op' && sep.op === '&') command = { kind: 'background', start: command.start, end: command.end };
    items.push({ command, connector });
    if (sep?.type === 'op') {
      if (sep.op === '&&' || sep.op === '||') connector = sep.op;
      else if (sep.op === ';' || sep.op === '\n' || sep.op === '&') connector = ';';
      else throw new Unsupported(`unexpected ${sep.op}`);
      i++;
    }
  }
  return items;
}

/** `exec CMD …` (not `exec >log`, which only redirects the shell's own output). */
export function isExecOfProgram(c: Command): boolean {
  return c.kind === 'simple' && c.words[0]?.literal === 'exec' && c.words.length > 1;
}

/** Whether a `trap` command installs an action (`trap '' TERM` ignores and `trap - TERM` resets). */
function isTrapWithAction(c: Command): boolean {
  if (c.kind !== 'simple' || c.words[0]?.literal !== 'trap' || c.words.length < 3) return false;
  const action = c.words[1]!;
  return !(action.literal === '' || action.literal === '-');
}

export function scriptShape(script: string): ScriptShape | undefined {
  let items: ListItem[];
  try {
    items = parse(tokenize(script));
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  const last = items[items.length - 1]?.command;
  if (!last) return undefined;
  const commands = items.map((it) => it.command);
  const execsTopLevel = commands.some(isExecOfProgram);
  const execsNested = !execsTopLevel && /(^|[ \t\r\n;&|(){}])exec[ \t]+[^ \t\r\n<>&0-9]/.test(script);
  return {
    items,
    commandCount: items.length,
    last,
    setsTrapHandler: commands.some(isTrapWithAction),
    handlesTerm: commands.some((c) => isTrapWithAction(c) && c.kind === 'simple' && c.words.slice(2).some((w) => /^(SIG)?TERM$|^15$/i.test(w.literal ?? ''))),
    execs: execsTopLevel ? 'yes' : execsNested ? 'unknown' : 'no',
  };
}

/**
 * Last commands that are not a server to hand PID 1 to: shell builtins, and the idioms that only
 * keep a container alive (`tail -f /dev/null`, `sleep infinity`), which as PID 1 ignore SIGTERM too.
 */
const NOT_A_SERVER = new Set([
  'wait',
  'true',
  'false',
  ':',
  'echo',
  'printf',
  'exit',
  'return',
  'set',
  'export',
  'cd',
  'source',
  '.',
  'eval',
  'read',
  'test',
  '[',
  'trap',
  'shift',
  'unset',
  'sleep',
  'tail',
  'cat',
  'exec',
]);

/** The last command's program, when it is one that `exec` can hand the process to. */
export function serverCommandOf(shape: ScriptShape): SimpleCommand | undefined {
  const last = shape.last;
  if (last.kind !== 'simple' || last.words.length === 0 || last.negatedOrTimed) return undefined;
  const name = last.words[0]!.literal;
  if (name !== undefined && NOT_A_SERVER.has(name.slice(name.lastIndexOf('/') + 1))) return undefined;
  return last;
}

/**
 * The script with `exec` put in front of its last command, after its leading assignments
 * (`PORT=80 exec node server.js` exports PORT to node in dash, bash and BusyBox ash alike).
 * Undefined when the last command is no server to exec (a loop, a pipeline, a background job,
 * a builtin), or the script sets a trap the exec would drop.
 */
export function withExecOnLastCommand(script: string): string | undefined {
  const shape = scriptShape(script);
  if (!shape || shape.execs === 'yes' || shape.setsTrapHandler) return undefined;
  const last = serverCommandOf(shape);
  if (!last) return undefined;
  const at = last.words[0]!.start;
  return `${script.slice(0, at)}exec ${script.slice(at)}`.trim();
}

/** A simple command's words when the shell would pass them unchanged: usable as an exec-form argv. */
export function literalArgv(c: SimpleCommand): string[] | undefined {
  if (c.redirected || c.assignments.length > 0 || c.negatedOrTimed || c.words.length === 0) return undefined;
  const argv = c.words.map((w) => w.literal);
  return argv.every((w): w is string => w !== undefined) ? argv : undefined;
}

/**
 * `cd DIR && CMD …` with a literal DIR and CMD, the form a Dockerfile says with `WORKDIR DIR` and
 * an exec-form CMD; `CMD …` alone gives no directory.
 */
export function execFormOf(script: string): { workdir?: string; argv: string[] } | undefined {
  const shape = scriptShape(script);
  if (!shape) return undefined;
  const cmds = shape.items.map((i) => i.command);
  const only = (c: Command | undefined) => (c?.kind === 'simple' ? literalArgv(c) : undefined);
  if (shape.items.length === 1) {
    const argv = only(cmds[0]);
    if (!argv) return undefined;
    return { argv: argv[0] === 'exec' ? argv.slice(1) : argv };
  }
  if (shape.items.length === 2 && shape.items[1]!.connector === '&&') {
    const cd = only(cmds[0]);
    const argv = only(cmds[1]);
    if (cd?.[0] === 'cd' && cd.length === 2 && argv && argv.length > 0) return { workdir: cd[1]!, argv: argv[0] === 'exec' ? argv.slice(1) : argv };
  }
  return undefined;
}
