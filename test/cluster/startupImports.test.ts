import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// `zerodrop --version` and `zerodrop audit` (a pre-commit hook's every commit) load only what
// they need: bench/startup.bench.ts measures them against bare Node. main.ts imports its
// subcommands on use; the audit path leaves out the lab's undici and histograms, the report
// renderer, the cluster client, dockerfile-ast (until a Dockerfile is read), the CI formatters
// and kustomize/helm tracing (until a rendered stream is audited).
const NOT_ON_THE_AUDIT_PATH = ['undici', 'hdr-histogram-js', 'uplot', '@kubernetes/client-node', 'dockerfile-ast', 'node:crypto'];
const NOT_ON_THE_AUDIT_PATH_FILES = ['report/', 'lab/', 'cluster/', 'audit/format/sarif', 'audit/format/github', 'audit/origins/', 'audit/fix/'];

describe('startup cost of the CLI', () => {
  it('cli/main.ts imports no package statically: --version needs none', () => {
    const graph = [...reachable(resolve(SRC, 'cli/main.ts'))];
    expect(graph.filter((m) => !m.startsWith('/') && !m.startsWith('node:'))).toEqual([]);
    expect(graph.some((m) => m.endsWith('/cli/audit.ts'))).toBe(false);
  });

  it('the audit command imports none of the other commands’ dependencies statically', () => {
    const graph = [...reachable(resolve(SRC, 'cli/audit.ts'))];
    expect(graph.length).toBeGreaterThan(20);
    expect(graph.filter((m) => NOT_ON_THE_AUDIT_PATH.includes(m))).toEqual([]);
    expect(graph.filter((m) => NOT_ON_THE_AUDIT_PATH_FILES.some((f) => m.startsWith(resolve(SRC, f))))).toEqual([]);
  });
});

describe('modules a CLI run really loads (recorded by test/cluster/loadRecorder.mjs)', () => {
  const root = resolve(import.meta.dirname, '..', '..');
  const cli = resolve(root, 'dist', 'cli', 'main.js');
  const manifest = resolve(root, 'test', 'fixtures', 'pre-commit', 'plain', 'deployment.yaml');
  const dockerfile = resolve(root, 'test', 'fixtures', 'pre-commit', 'images', 'Dockerfile');
  const loaded = (args: string[]): string[] => {
    const dir = mkdtempSync(resolve(tmpdir(), 'zerodrop-loads-'));
    const log = resolve(dir, 'loads.txt');
    try {
      const r = spawnSync(process.execPath, ['--import', resolve(import.meta.dirname, 'loadRecorder.mjs'), cli, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ZERODROP_LOAD_LOG: log, NO_COLOR: '1' },
      });
      expect([0, 1], r.stderr).toContain(r.status);
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const matching = (mods: string[], needles: string[]) =>
    needles.filter((n) => mods.some((m) => m.includes(`/node_modules/${n}/`) || m === n || m === `cjs:${n}`));
  const ours = (mods: string[], dirs: string[]) => mods.filter((m) => dirs.some((d) => m.includes(`/dist/${d}`)));

  it('--version loads neither the command-line parser nor any subcommand', () => {
    const mods = loaded(['--version']);
    expect(mods.some((m) => m.endsWith('/dist/version.js'))).toBe(true);
    expect(matching(mods, ['commander', 'yaml', 'picocolors'])).toEqual([]);
  });

  it('an audit of one manifest loads the bundled audit with its bundled yaml, and nothing of the lab, report, cluster or Dockerfile parser', () => {
    const mods = loaded(['audit', manifest]);
    // yaml is bundled (scripts/bundle-audit.mjs BUNDLED_PACKAGES): its ~80 CommonJS files are not resolved one by one.
    expect(matching(mods, ['yaml', 'commander'])).toEqual(['commander']);
    expect(mods.some((m) => m.includes('/dist/cli/audit-chunk-yaml-'))).toBe(true);
    expect(mods.some((m) => m.endsWith('/dist/cli/audit.js'))).toBe(true);
    expect(matching(mods, NOT_ON_THE_AUDIT_PATH)).toEqual([]);
    expect(ours(mods, NOT_ON_THE_AUDIT_PATH_FILES)).toEqual([]);
    // scripts/bundle-audit.mjs names each chunk after its first module: the lazily loaded ones stay unloaded.
    const lazy = ['sarif', 'github', 'codequality', 'junit', 'json', 'inPlace', 'patches', 'traceFindings', 'kustomizeBuild', 'changedFiles', 'liveAudit'];
    expect(mods.filter((m) => lazy.some((l) => m.includes(`/dist/cli/audit-chunk-${l}-`)))).toEqual([]);
  });

  it('the audit runs as one bundle: a one-file audit loads a handful of our modules, not one per rule', () => {
    expect(readFileSync(resolve(root, 'dist', 'cli', 'audit.js'), 'utf8')).toMatch(/^\/\/ Bundled by scripts\/bundle-audit\.mjs/);
    const mods = loaded(['audit', manifest]).filter((m) => m.startsWith('file:') && m.includes('/dist/'));
    expect(mods.filter((m) => m.includes('/dist/audit/') || m.includes('/dist/k8s/'))).toEqual([]);
    expect(new Set(mods).size).toBeLessThan(20);
  });

  it('dockerfile-ast loads once a Dockerfile is audited', () => {
    expect(matching(loaded(['audit', dockerfile]), ['dockerfile-ast'])).toEqual(['dockerfile-ast']);
  });
});
