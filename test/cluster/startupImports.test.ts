import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/** Static (non-type, non-dynamic) imports of a source file, resolved to files under src/ or kept as package names. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'|^export\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.')) out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    else out.push(spec);
  }
  return out;
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.startsWith('/') && existsSync(next)) stack.push(...staticImports(next));
  }
  return seen;
}

// @kubernetes/client-node takes about 2 s to import; loaded statically it made every command,
// even --version, take 2.4 s instead of 0.35 s. Only the oidc auth-provider still needs it, and
// loads it on use, so neither the commands nor a cluster run pay for it.
describe('startup cost', () => {
  it.each([['cli/main.ts'], ['index.ts'], ['cluster/rolloutRun.ts'], ['cluster/liveAudit.ts']])(
    '%s does not import @kubernetes/client-node statically',
    (entry) => {
      const graph = reachable(resolve(SRC, entry));
      expect(graph.size).toBeGreaterThan(3);
      expect([...graph].filter((m) => m.startsWith('@kubernetes/'))).toEqual([]);
    },
  );

  it('the oidc auth-provider loads it on use (so the checks above can fail)', () => {
    const credentials = resolve(SRC, 'cluster/credentials.ts');
    expect(reachable(resolve(SRC, 'cluster/rolloutRun.ts'))).toContain(credentials);
    expect(readFileSync(credentials, 'utf8')).toContain("await import('@kubernetes/client-node')");
  });
});
