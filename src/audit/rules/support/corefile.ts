/**
 * Just enough of CoreDNS's Corefile syntax (the Caddyfile lexer: whitespace-separated tokens,
 * `{`/`}` blocks, `#` comments, quoted strings, `{$ENV}` placeholders) to find where the `health`
 * plugin sits and what its `lameduck` option says.
 */

export interface HealthDirective {
  /** 1-based line of the `health` token inside the Corefile. */
  line: number;
  /** The `lameduck` duration text when the block sets one, and its line. */
  lameduck?: { duration: string; line: number };
}

interface Token {
  text: string;
  line: number;
  /** First token of its line: a server key or a plugin directive. */
  first: boolean;
}

const TOKEN = /\{\$[^}]*\}|"(?:[^"\\]|\\.)*"|[{}]|[^\s{}"]+/g;

function tokens(corefile: string): Token[] {
  const out: Token[] = [];
  corefile.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    let first = true;
    for (const m of line.matchAll(TOKEN)) {
      out.push({ text: m[0], line: i + 1, first });
      first = false;
    }
  });
  return out;
}

/** Every `health` directive inside a server block, with its lameduck option if any. */
export function healthDirectives(corefile: string): HealthDirective[] {
  const toks = tokens(corefile);
  const out: HealthDirective[] = [];
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '{') depth++;
    else if (t.text === '}') depth = Math.max(0, depth - 1);
    else if (t.text === 'health' && t.first && depth === 1) {
      const found: HealthDirective = { line: t.line };
      // Arguments run to the end of the line; a `{` there opens the option block.
      let j = i + 1;
      while (j < toks.length && toks[j]!.line === t.line && toks[j]!.text !== '{') j++;
      if (j < toks.length && toks[j]!.line === t.line && toks[j]!.text === '{') {
        let inner = 1;
        for (j++; j < toks.length && inner > 0; j++) {
          const u = toks[j]!;
          if (u.text === '{') inner++;
          else if (u.text === '}') inner--;
          else if (u.text === 'lameduck' && inner === 1 && toks[j + 1]) found.lameduck = { duration: toks[j + 1]!.text, line: u.line };
        }
        i = j - 1;
      }
      out.push(found);
    }
  }
  return out;
}

/** Corefile durations are Go durations (src/k8s/goDuration.ts). */
export { goDurationSeconds } from '../../../k8s/goDuration.js';
