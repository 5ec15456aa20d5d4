/**
 * Just enough of CoreDNS's Corefile syntax (the Caddyfile lexer: whitespace-separated tokens,
 * `{`/`}` blocks, `#` comments, quoted strings, `{$ENV}` placeholders) to find where the `health`
 * plugin sits and what its `lameduck` option says; and which pods run CoreDNS with which
 * ConfigMaps mounted, so the Corefile they read can be found in the input.
 */
import { goDurationSeconds } from './goDuration.js';
import { parseImageRef } from './imageRef.js';
import type { PodSpec } from './objects.js';

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

/** The longest lameduck of a Corefile in seconds (the process waits for the longest it is given), and where it is written. */
export function longestLameduck(corefile: string): { seconds: number; duration: string; line: number } | undefined {
  let best: { seconds: number; duration: string; line: number } | undefined;
  for (const h of healthDirectives(corefile)) {
    if (!h.lameduck) continue;
    const seconds = goDurationSeconds(h.lameduck.duration);
    if (seconds !== undefined && (!best || seconds > best.seconds)) best = { seconds, ...h.lameduck };
  }
  return best;
}

/** Mirrors rename the repository (rancher/mirrored-coredns-coredns), so any repository naming coredns counts. */
export function isCoreDnsImage(image: unknown): boolean {
  return typeof image === 'string' && /coredns/i.test(parseImageRef(image).repository);
}

/** Names of the ConfigMaps a pod mounts, as volumes or as projected sources. */
export function mountedConfigMaps(podSpec: PodSpec): string[] {
  const names: string[] = [];
  const name = (v: unknown) => {
    const n = isRecord(v) && isRecord(v.configMap) ? v.configMap.name : undefined;
    if (typeof n === 'string') names.push(n);
  };
  for (const v of Array.isArray(podSpec.volumes) ? (podSpec.volumes as unknown[]) : []) {
    name(v);
    const sources = isRecord(v) && isRecord(v.projected) ? v.projected.sources : undefined;
    if (Array.isArray(sources)) sources.forEach(name);
  }
  return names;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
