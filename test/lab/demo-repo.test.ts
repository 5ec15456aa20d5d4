import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_SERVERS } from '../../src/lab/images/localServers.js';
import { HAVE_KUBECTL, warnWithoutKubectl } from './support/kubectl.js';
import { liveProcessesWith } from './support/processes.js';

// The talk's demo repository replayed as a user would, with one command and no mapping: three
// kustomize directories (a base with nginx and a Traefik ingress controller, a probes overlay, a
// probes + preStop overlay), each its own run, the nginx image run as Debian's nginx. The base
// and the probes overlay drop requests; the preStop overlay drops none. First on the copy in
// examples/talk/demo-repo (our own files, so CI covers it), then on the seed's own files when
// they are next to the repository.
//
// Each replay takes about 45 s (the 20 s preStop sleep is kept as written); the two run one
// after the other in this file, as two labs at once on a 2-core machine starve each other.
// `--rate 50` keeps the machine's share small: a busy machine turns slow answers into timeouts,
// while the drops asserted here are refused connections (http-5xx), which only a real gap in
// the traffic path produces.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const OWN = path.join(ROOT, 'examples', 'talk', 'demo-repo');
const SEED = path.join(ROOT, '..', 'shared', 'seed', 'demo-repo');
const HAVE_NGINX = existsSync(LOCAL_SERVERS.nginx!.binary);
const HAVE_SEED = existsSync(path.join(SEED, 'k8s', 'kustomization.yaml'));

if (!HAVE_NGINX) console.warn(`\n*** SKIPPING the demo-repository lab replays: ${LOCAL_SERVERS.nginx!.binary} is not installed (apt-get install nginx) ***\n`);
warnWithoutKubectl('the demo-repository lab replays');
if (!HAVE_SEED)
  console.warn(`\n*** SKIPPING the replay of the seed's own demo repository: ${SEED} is not there (only our copy in examples/talk/demo-repo runs) ***\n`);

interface JsonRun {
  name: string;
  verdict: string;
  expected: string;
  asExpected?: boolean;
  requests: number;
  failures: number;
  failuresByClass: Record<string, number>;
  rollout: { completed: boolean };
}

async function replay(repo: string): Promise<{ code: number | null; output: string; runs: Map<string, JsonRun>; tmp: string }> {
  // The lab's own TMPDIR: every nginx it starts has this directory in its command line.
  const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-demo-repo-'));
  const json = path.join(tmp, 'runs.json');
  const inputs = ['k8s', 'kustom-probes', 'kustom-probes-prestop'].map((d) => path.join(repo, d));
  const outputs = ['--json', json, '--events', path.join(tmp, 'events.ndjson'), '--report', path.join(tmp, 'lab.html')];
  const child = spawn(process.execPath, [CLI, 'lab', ...inputs, '--quick', '--rate', '50', '--no-progress', ...outputs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const runs = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as { runs: JsonRun[] }).runs : [];
  return { code, output, runs: new Map(runs.map((r) => [r.name, r])), tmp };
}

/** Failures with a cause a busy machine cannot fake (a timeout can be mere starvation). */
const refused = (run: JsonRun): number => run.failuresByClass['http-5xx'] ?? 0;

function expectTheTalksProgression(r: Awaited<ReturnType<typeof replay>>): void {
  const [base, probes, prestop] = ['k8s', 'kustom-probes', 'kustom-probes-prestop'].map((n) => r.runs.get(n));
  expect(base?.verdict, r.output).toBe('fail');
  expect(refused(base!), r.output).toBeGreaterThan(0);
  expect(probes?.verdict, r.output).toBe('fail');
  expect(refused(probes!), r.output).toBeGreaterThan(0);
  expect(prestop?.failures, r.output).toBe(0);
  expect(prestop?.requests).toBeGreaterThan(100);
  expect(prestop?.rollout.completed).toBe(true);
  // A user's own inputs are expected to drop nothing: the drops are exit 1.
  for (const run of [base, probes, prestop]) expect(run?.expected).toBe('zero');
  expect(base?.asExpected).toBe(false);
  expect(r.code, r.output).toBe(1);
  // What the lab decided, said before each run.
  expect(r.output).toMatch(/rolls Deployment nginx: the load arrives through Ingress nginx → Service nginx/);
  expect(r.output).toMatch(/Deployment \S+ runs Traefik, an ingress controller: the lab's own proxy stands in for it, so it is not run/);
  expect(r.output).toMatch(/image nginx: runs Debian's nginx \(\/usr\/sbin\/nginx\) with a minimal config on port 80/);
  expect(r.output).toContain('preStop sleep 20s');
  expect(r.output).toMatch(/run\s+requests\s+failed\s+by class\s+rollout\s+expected\s+verdict\s+audit/);
}

describe('zerodrop lab on the demo repository: base, probes, probes + preStop', () => {
  it.skipIf(!HAVE_NGINX || !HAVE_KUBECTL)(
    'our copy (examples/talk/demo-repo): the base and probes runs drop requests, the preStop run drops none, no pod survives',
    async () => {
      const r = await replay(OWN);
      expectTheTalksProgression(r);
      // One events file and one report hold the three runs, in order, with the table's verdicts.
      const events = readFileSync(path.join(r.tmp, 'events.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; run: string; verdict?: string });
      expect(events.filter((e) => e.type === 'run-start').map((e) => e.run)).toEqual(['k8s', 'kustom-probes', 'kustom-probes-prestop']);
      expect(events.filter((e) => e.type === 'run-end').map((e) => [e.run, e.verdict])).toEqual(
        ['k8s', 'kustom-probes', 'kustom-probes-prestop'].map((n) => [n, r.runs.get(n)?.verdict]),
      );
      const html = readFileSync(path.join(r.tmp, 'lab.html'), 'utf8');
      for (const name of ['k8s', 'kustom-probes', 'kustom-probes-prestop']) expect(html).toContain(`"${name}"`);
      await new Promise((res) => setTimeout(res, 300));
      expect(liveProcessesWith(r.tmp)).toEqual([]);
    },
    150_000,
  );

  it.skipIf(!HAVE_NGINX || !HAVE_KUBECTL || !HAVE_SEED)(
    "the seed's own files, as the talk ran them",
    async () => {
      expectTheTalksProgression(await replay(SEED));
    },
    150_000,
  );
});
