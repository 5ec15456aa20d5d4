import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../src/events/schema.js';
import { EventStream } from '../../src/events/stream.js';
import { readManifests } from '../../src/lab/config/manifests.js';
import { buildWorkload } from '../../src/lab/config/workload.js';
import { ContainerProcess } from '../../src/lab/pods/containerProcess.js';
import { describeContainment, parentDeathPrefix, pidNamespaceSupport } from '../../src/lab/pods/containment.js';
import { LabPod } from '../../src/lab/pods/pod.js';
import type { PodPlan } from '../../src/lab/pods/plan.js';
import { labProcesses } from '../../src/lab/pods/processRegistry.js';
import { liveProcessesWith, wordNumberLines } from './support/processes.js';

// No orphans whatever ends the lab: a pod whose entrypoint starts a `setsid` daemon and a bash
// job under job control (both leave the pod's process group, both ignore SIGTERM and SIGHUP)
// leaves nothing behind when its container exits, when the lab ends normally, and when the lab
// is SIGKILLed. Each case runs on both containment paths: a PID namespace per container (the
// default where the kernel allows it) and the process group plus owner-mark sweep
// (`--no-pid-namespace`, what a machine without namespaces gets). Real processes throughout;
// every process of a case carries a marker unique to it in its command line. The CLI cases run
// the compiled lab (`npm run build` first), one lab at a time.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const APP = path.join(import.meta.dirname, 'fixtures', 'daemonizing-app.mjs');
const STAND_IN = path.join(import.meta.dirname, 'fixtures', 'lab-stand-in.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'zerodrop-containment-'));
// An unprivileged user must read the lab files and append to the daemon logs.
chmodSync(tmp, 0o777);
let cases = 0;
let labFiles = 0;

afterAll(() => labProcesses.killAll());

const namespaces = pidNamespaceSupport();
if (!namespaces.available) console.warn(`skipping the PID-namespace cases: ${namespaces.reason}`);
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('skipping the unprivileged-user cases: they need root to switch to nobody');
// nobody must reach the compiled lab: a checkout under a private directory (mktemp -d is 0700) hides it.
const blockingDir = ancestors(ROOT).find((d) => (statSync(d).mode & 0o001) === 0);
if (isRoot && blockingDir)
  console.warn(
    `skipping the unprivileged-user cases: nobody cannot enter ${blockingDir} (mode ${(statSync(blockingDir).mode & 0o777).toString(8)}), so it cannot run ${CLI}`,
  );

function ancestors(dir: string): string[] {
  const parent = path.dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestors(parent)];
}

const PATHS = [
  { name: 'a PID namespace per container', flags: [] as string[], pidNamespace: true, skip: !namespaces.available },
  { name: 'process group and owner-mark sweep (--no-pid-namespace)', flags: ['--no-pid-namespace'], pidNamespace: false, skip: false },
];

function marker(what: string): string {
  return `zerodrop-containment-${what}-${process.pid}-${cases++}`;
}

/** Waits until no live process carries the marker; the ones still there after `ms`. */
async function survivorsAfter(mark: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = liveProcessesWith(mark);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until at least `n` processes carry the marker (the app and its two daemons). */
async function atLeast(mark: string, n: number, ms = 20_000): Promise<number> {
  const until = Date.now() + ms;
  let found = liveProcessesWith(mark).length;
  while (found < n && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    found = liveProcessesWith(mark).length;
  }
  return found;
}

async function until(done: () => boolean, ms = 5000): Promise<void> {
  const stop = Date.now() + ms;
  while (!done() && Date.now() < stop) await new Promise((r) => setTimeout(r, 50));
}

/** Waits until both of the app's daemons run (each logs itself once it does); how many do. */
async function daemonsRunning(log: string, ms = 20_000): Promise<number> {
  await until(() => daemonsIn(log).length >= 2, ms);
  return daemonsIn(log).length;
}

/** Daemons the app reported starting, by kind. */
function daemonsIn(log: string): Array<{ kind: string; pid: number }> {
  return wordNumberLines(log).map(([kind, pid]) => ({ kind, pid }));
}

/** A one-replica Deployment of the daemonizing app, rolled out once: the shortest real lab run. */
function labFile(mark: string, daemonLog: string): string {
  const name = `app${labFiles++}`;
  writeFileSync(
    path.join(tmp, `${name}.yaml`),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: 1\n  template:\n    spec:\n      terminationGracePeriodSeconds: 2\n      containers:\n        - name: app\n          image: daemonizing\n          args: [${mark}]\n          env: [{name: DAEMON_LOG, value: ${daemonLog}}]\n`,
  );
  const file = path.join(tmp, `${name}.lab.yaml`);
  writeFileSync(file, `manifests: [${name}.yaml]\nimages:\n  daemonizing: ${process.execPath} ${APP}\nrate: 20\npropagation: 0.2s\nkubeletDelay: 0s\n`);
  return file;
}

function startLab(args: string[], options: { asNobody?: boolean; path?: string } = {}): { child: ChildProcess; output: () => string } {
  const argv = [process.execPath, CLI, 'lab', ...args, '--quick', '--no-progress'];
  const command = options.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...argv] : argv;
  const env = { ...process.env, HOME: tmp, ...(options.path !== undefined ? { PATH: options.path } : {}) };
  const child = spawn(command[0]!, command.slice(1), { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe.each(PATHS)('containment by $name', ({ flags, pidNamespace, skip }) => {
  it.skipIf(skip)("a container's daemons die when its main process exits", async () => {
    const mark = marker('exit');
    const log = path.join(tmp, `${mark}.log`);
    const proc = ContainerProcess.start({
      argv: [process.execPath, APP, mark],
      env: { PATH: process.env.PATH ?? '', PORT: '0', DAEMON_LOG: log },
      pidNamespace,
    });
    expect(await daemonsRunning(log)).toBe(2);
    expect(
      daemonsIn(log)
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['job', 'setsid']);
    // Give the app a moment to install its SIGTERM handler, then stop it as the kubelet would.
    await new Promise((r) => setTimeout(r, 200));
    proc.signal('SIGTERM');
    expect(await proc.exited).toMatchObject({ code: 0 });
    expect(await survivorsAfter(mark, 2000)).toEqual([]);
  });

  it.skipIf(skip)('a lab that ends normally leaves no process of its pods behind', async () => {
    const mark = marker('end');
    const log = path.join(tmp, `${mark}.log`);
    const events = path.join(tmp, `${mark}.ndjson`);
    const lab = startLab([labFile(mark, log), '--events', events, ...flags]);
    const code = await exitOf(lab.child);
    // The verdict does not matter here (a busy machine may make it inconclusive); the exit does.
    expect([0, 1, 3], lab.output()).toContain(code);
    // Whether the app is PID 1 is stated in the output and recorded in the run's events.
    expect(lab.output()).toContain(pidNamespace ? 'app is PID 1 (own PID namespace)' : 'app is not PID 1 (--no-pid-namespace)');
    const runStart = JSON.parse(readFileSync(events, 'utf8').split('\n')[0]!);
    expect(runStart).toMatchObject({ type: 'run-start', config: { appIsPid1: pidNamespace } });
    // Both pods (before and after the rollout) started both daemons: the test could fail.
    expect(daemonsIn(log).length, lab.output()).toBeGreaterThanOrEqual(4);
    expect(await survivorsAfter(mark, 2000)).toEqual([]);
  });

  it.skipIf(skip)('kill -9 of the lab mid-run takes every pod process along, daemons included', async () => {
    const mark = marker('kill');
    const log = path.join(tmp, `${mark}.log`);
    const lab = startLab([labFile(mark, log), ...flags]);
    expect(await daemonsRunning(log), lab.output()).toBe(2);
    lab.child.kill('SIGKILL');
    await exitOf(lab.child);
    expect(await survivorsAfter(mark, 3000)).toEqual([]);
  });
});

describe.skipIf(!isRoot || blockingDir !== undefined)('containment for an unprivileged user', () => {
  it.each([
    { mode: 'the default (a PID namespace in a user namespace where allowed)', flags: [] as string[] },
    { mode: '--no-pid-namespace', flags: ['--no-pid-namespace'] },
  ])('kill -9 of a lab run by nobody, $mode, leaves no pod process behind', async ({ flags }) => {
    const mark = marker('nobody');
    const log = path.join(tmp, `${mark}.log`);
    writeFileSync(log, '');
    chmodSync(log, 0o666);
    const lab = startLab([labFile(mark, log), ...flags], { asNobody: true });
    expect(await daemonsRunning(log), lab.output()).toBe(2);
    // Every pod process runs as nobody (a short-lived helper may be gone by the time it is read).
    const uids = liveProcessesWith(mark).flatMap((pid) => {
      try {
        return [/^Uid:\s+(\d+)\s/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]];
      } catch {
        return [];
      }
    });
    expect(uids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(uids)).toEqual(new Set(['65534']));
    lab.child.kill('SIGKILL');
    await exitOf(lab.child);
    expect(await survivorsAfter(mark, 3000)).toEqual([]);
  });
});

describe('a machine without util-linux (no unshare, no setpriv)', () => {
  // A PATH with only what the app itself runs: bash and setsid for its daemons.
  const bare = path.join(tmp, 'bare-bin');
  mkdirSync(bare, { recursive: true });
  for (const program of ['bash', 'setsid']) {
    const target = path.join(bare, program);
    if (!existsSync(target)) symlinkSync(execFileSync('which', [program], { encoding: 'utf8' }).trim(), target);
  }

  it('--pid-namespace is an environment error (exit 4) that says what is missing, before any pod starts', async () => {
    const mark = marker('required');
    const lab = startLab([labFile(mark, path.join(tmp, `${mark}.log`)), '--pid-namespace'], { path: bare });
    expect(await exitOf(lab.child), lab.output()).toBe(4);
    expect(lab.output()).toMatch(/^zerodrop: error\[lab-no-pid-namespace\]: --pid-namespace is unavailable here: unshare \(util-linux\) is not on PATH\n$/);
    expect(liveProcessesWith(mark)).toEqual([]);
  });

  it('by default the lab falls back, says the app is not PID 1, and after kill -9 the reaper alone leaves nothing behind', async () => {
    const mark = marker('bare');
    const log = path.join(tmp, `${mark}.log`);
    const lab = startLab([labFile(mark, log)], { path: bare });
    expect(await daemonsRunning(log), lab.output()).toBe(2);
    expect(lab.output()).toContain('app is not PID 1 (no PID namespace here)');
    lab.child.kill('SIGKILL');
    await exitOf(lab.child);
    expect(await survivorsAfter(mark, 3000)).toEqual([]);
  });
});

describe('the parent-death signal', () => {
  const pdeathsig = parentDeathPrefix().length > 0;
  if (!pdeathsig) console.warn('skipping the parent-death test: setpriv --pdeathsig is unavailable');

  it.skipIf(!pdeathsig || !namespaces.available)(
    'alone (no reaper) takes a PID namespace and its daemons along when the process that started it is SIGKILLed',
    async () => {
      const mark = marker('pdeathsig');
      const log = path.join(tmp, `${mark}.log`);
      const standIn = spawn(process.execPath, [STAND_IN, path.join(ROOT, 'dist'), 'true', process.execPath, APP, mark], {
        env: { ...process.env, DAEMON_LOG: log },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      expect(await daemonsRunning(log)).toBe(2);
      standIn.kill('SIGKILL');
      await exitOf(standIn);
      expect(await survivorsAfter(mark, 2000)).toEqual([]);
    },
  );

  it.skipIf(!pdeathsig)("follows the thread that forked: a container outlives the exit of one of the lab's worker threads", async () => {
    const mark = marker('thread');
    const proc = ContainerProcess.start({ argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)', mark], env: { PATH: process.env.PATH ?? '' } });
    expect(await atLeast(mark, 1)).toBe(1);
    const worker = new Worker('setTimeout(() => {}, 10)', { eval: true });
    await new Promise((r) => worker.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    expect(proc.running).toBe(true);
    expect(liveProcessesWith(mark)).toHaveLength(1);
    proc.kill();
    await proc.exited;
  });
});

describe('PID 1 follows the pod spec (docs/reference/signals.md#pid-1)', () => {
  /** Deletes a one-container pod whose app has no SIGTERM handler; whether the lab had to SIGKILL it. */
  async function neededSigkill(extra: Partial<PodPlan>): Promise<boolean> {
    const events = new EventStream('pid1');
    const seen: ContainerEvent[] = [];
    events.subscribe((e) => e.type === 'container' && seen.push(e));
    const app = {
      name: 'app',
      image: 'x',
      argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      env: {},
      stopSignal: 'SIGTERM' as const,
      ports: [],
    };
    const plan: PodPlan = { revision: 'r1', containers: [app], sidecars: [], graceSeconds: 1, servicePort: 8080, ...extra };
    const pod = new LabPod({ name: `pid1-${cases++}`, plan, events, onChange: () => {}, kubeletDelayMs: () => 0 });
    await pod.start();
    await new Promise((r) => setTimeout(r, 300));
    await pod.delete();
    return seen.some((e) => e.action === 'kill');
  }

  it.skipIf(!namespaces.available)('by default the app is PID 1: without a handler it ignores SIGTERM and is SIGKILLed at the deadline', async () => {
    expect(await neededSigkill({})).toBe(true);
  });

  it('with shareProcessNamespace the pause container is PID 1, so the app is not: SIGTERM ends it', async () => {
    expect(await neededSigkill({ shareProcessNamespace: true })).toBe(false);
  });

  it('the lab reads shareProcessNamespace from the manifest and says whether the app is PID 1', async () => {
    const manifest = path.join(tmp, `shared-${cases++}.yaml`);
    const deployment = (share: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: s}\nspec:\n  replicas: 1\n  template:\n    spec:\n${share}      containers:\n        - {name: app, image: demo}\n`;
    const workloadOf = async (share: string, pidNamespace?: boolean) => {
      writeFileSync(manifest, deployment(share));
      const images = { demo: { command: process.execPath } };
      return buildWorkload((await readManifests([manifest])).objects, {
        images,
        rollout: { kind: 'restart' },
        cwd: tmp,
        ...(pidNamespace !== undefined ? { pidNamespace } : {}),
      });
    };
    expect(describeContainment((await workloadOf('      shareProcessNamespace: true\n')).initial)).toBe('app is not PID 1 (shareProcessNamespace)');
    expect(describeContainment((await workloadOf('', false)).initial)).toBe('app is not PID 1 (--no-pid-namespace)');
    expect(describeContainment((await workloadOf('')).initial)).toBe(
      namespaces.available ? 'app is PID 1 (own PID namespace)' : 'app is not PID 1 (no PID namespace here)',
    );
  });
});
