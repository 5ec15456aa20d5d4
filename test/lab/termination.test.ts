import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/events/stream.js';
import type { ContainerEvent, ZerodropEvent } from '../../src/events/schema.js';
import { LabPod } from '../../src/lab/pods/pod.js';
import type { ContainerPlan, PodPlan } from '../../src/lab/pods/plan.js';
import { labProcesses } from '../../src/lab/pods/processRegistry.js';
import { pidNamespaceSupport } from '../../src/lab/pods/containerProcess.js';
import { resolveProbe } from '../../src/k8s/probes.js';
import { liveProcessesWith, wordNumberLines } from './support/processes.js';

// docs/reference/pod-termination.md#per-container-kill and docs/reference/pod-termination.md#each-container, against real child processes: the stop
// signal at min(P, G), SIGKILL to the whole process group at min(P, G) + max(G − floor(min(P, G)), 2),
// preStop hooks concurrent per container, native sidecars signalled after the main containers (docs/reference/feature-versions.md#native-sidecars).

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'signal-recorder.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-term-'));
let counter = 0;

afterAll(() => labProcesses.killAll());

function container(name: string, extra: Partial<ContainerPlan> = {}, env: Record<string, string> = {}): ContainerPlan & { log: string } {
  const log = path.join(dir, `${name}-${counter++}.log`);
  return { name, image: 'fixture', argv: [process.execPath, FIXTURE], env: { SIGNAL_LOG: log, ...env }, stopSignal: 'SIGTERM', ports: [], ...extra, log };
}

function signalsIn(log: string): Array<{ signal: string; at: number }> {
  return wordNumberLines(log).map(([signal, at]) => ({ signal, at }));
}

/** Starts a pod, waits until its containers run, deletes it; returns wall times relative to the delete. */
async function deleteAndObserve(plan: PodPlan) {
  const events = new EventStream('term');
  const seen: ZerodropEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const pod = new LabPod({ name: `pod-${counter++}`, plan, events, onChange: () => {}, kubeletDelayMs: () => 0 });
  await pod.start();
  // Let the processes install their signal handlers.
  await new Promise((r) => setTimeout(r, 700));
  const t0 = Date.now();
  const e0 = events.now();
  await pod.delete();
  const containerEvents = seen.filter((e): e is ContainerEvent => e.type === 'container').map((e) => ({ ...e, rel: (e.t - e0) / 1000 }));
  return { t0, wallSeconds: (Date.now() - t0) / 1000, containerEvents };
}

/** The live processes whose command line holds the marker, once none is left or the time is up (zombies no longer run). */
async function noneLeftWithin(marker: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = liveProcessesWith(marker);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const plan = (containers: ContainerPlan[], graceSeconds: number, sidecars: ContainerPlan[] = []): PodPlan => ({
  revision: 'r1',
  containers,
  sidecars,
  graceSeconds,
  servicePort: 8080,
});

describe.concurrent('kubelet termination against real processes (docs/reference/pod-termination.md#termination-timeline)', () => {
  it('no preStop: stop signal at once, SIGKILL at the grace period; a grandchild in the group dies too', async () => {
    const grandchildLog = path.join(dir, 'grandchild.pid');
    const c = container('app', {}, { GRANDCHILD_LOG: grandchildLog });
    const r = await deleteAndObserve(plan([c], 2));
    const sigs = signalsIn(c.log);
    expect(sigs.map((s) => s.signal)).toEqual(['SIGTERM']);
    expect((sigs[0]!.at - r.t0) / 1000).toBeLessThan(0.5);
    const kill = r.containerEvents.find((e) => e.action === 'kill');
    expect(kill?.rel).toBeGreaterThan(1.8);
    expect(kill?.rel).toBeLessThan(2.8);
    // It did run (it wrote its pid); it is found by its command line, whatever PID namespace it ran in.
    expect(Number(readFileSync(grandchildLog, 'utf8'))).toBeGreaterThan(0);
    expect(await noneLeftWithin(grandchildLog, 1000)).toEqual([]);
  });

  const hookCases = [
    // The hook counts against the grace period: SIGTERM when it ends at 1 s, SIGKILL at G = 3.
    { name: 'preStop sleep 1 s with grace 3: SIGTERM at 1 s, SIGKILL at 3 s', preStop: { sleep: { seconds: 1 } }, grace: 3 },
    // G = 1: SIGTERM at 1, remaining 0 → raised to 2 → SIGKILL at 3.
    {
      name: 'a hung preStop is abandoned at the grace period; the 2 s minimum then applies before SIGKILL',
      preStop: { exec: { command: ['/bin/sleep', '30'] } },
      grace: 1,
    },
  ];
  for (const { name, preStop, grace } of hookCases)
    it(name, async () => {
      const c = container('app', { preStop });
      const r = await deleteAndObserve(plan([c], grace));
      const sigs = signalsIn(c.log);
      expect(sigs.map((s) => s.signal)).toEqual(['SIGTERM']);
      const termAt = (sigs[0]!.at - r.t0) / 1000;
      expect(termAt).toBeGreaterThan(0.9);
      expect(termAt).toBeLessThan(1.6);
      const kill = r.containerEvents.find((e) => e.action === 'kill')!;
      expect(kill.rel).toBeGreaterThan(2.8);
      expect(kill.rel).toBeLessThan(3.8);
    });

  it('preStop hooks run concurrently: a container without one is signalled at once while its sibling sleeps (docs/reference/pod-termination.md#containers-stop-in-parallel)', async () => {
    const app = container('app', { preStop: { sleep: { seconds: 1 } } }, { EXIT_ON: 'SIGTERM' });
    const proxy = container('proxy', {}, { EXIT_ON: 'SIGTERM' });
    const r = await deleteAndObserve(plan([app, proxy], 5));
    const appTerm = (signalsIn(app.log)[0]!.at - r.t0) / 1000;
    const proxyTerm = (signalsIn(proxy.log)[0]!.at - r.t0) / 1000;
    expect(proxyTerm).toBeLessThan(0.5);
    expect(appTerm).toBeGreaterThan(0.9);
    expect(r.containerEvents.some((e) => e.action === 'kill')).toBe(false);
  });

  it('native sidecars get their stop signal only after every main container exited (docs/reference/feature-versions.md#native-sidecars), with the lifecycle stop signal', async () => {
    const app = container('app', {}, { EXIT_ON: 'SIGTERM', EXIT_DELAY_MS: '800' });
    const sidecar = container('sidecar', { stopSignal: 'SIGQUIT' }, { EXIT_ON: 'SIGQUIT' });
    const r = await deleteAndObserve(plan([app], 5, [sidecar]));
    const appExit = r.containerEvents.find((e) => e.container === 'app' && e.action === 'exit')!;
    const sidecarSigs = signalsIn(sidecar.log);
    expect(sidecarSigs.map((s) => s.signal)).toEqual(['SIGQUIT']);
    const sidecarTerm = (sidecarSigs[0]!.at - r.t0) / 1000;
    expect(appExit.rel).toBeGreaterThan(0.7);
    expect(sidecarTerm).toBeGreaterThanOrEqual(appExit.rel - 0.05);
    expect(r.wallSeconds).toBeLessThan(3);
  });

  it('liveness and startup probes stop at deletion while readiness keeps probing (docs/reference/probes.md#during-termination)', async () => {
    const events = new EventStream('probes');
    const seen: ContainerEvent[] = [];
    events.subscribe((e) => e.type === 'container' && seen.push(e));
    // Liveness fails always (nothing listens on its port); with a 2 s delay it would restart the
    // container during the 3 s termination if it kept running.
    const c = container('app', {
      ports: [{ containerPort: 8080 }],
      readiness: resolveProbe({ tcpSocket: { port: 8080 }, periodSeconds: 1 }),
      liveness: resolveProbe({ tcpSocket: { port: 9 }, initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 1 }),
    });
    const pod = new LabPod({ name: 'probe-pod', plan: plan([c], 2), events, onChange: () => {}, kubeletDelayMs: () => 0 });
    await pod.start();
    await new Promise((r) => setTimeout(r, 1200));
    expect(pod.status.ready).toBe(true);
    await pod.delete();
    expect(seen.filter((e) => e.action === 'restart')).toHaveLength(0);
    expect(seen.some((e) => e.action === 'kill')).toBe(true);
  });
});

describe('--pid-namespace (docs/reference/signals.md#pid-1)', () => {
  const support = pidNamespaceSupport();
  if (!support.available) console.warn(`skipping PID-namespace test: ${support.reason}`);
  it.skipIf(!support.available)('a process without a SIGTERM handler ignores SIGTERM as PID 1 and dies only at the SIGKILL deadline', async () => {
    const c: ContainerPlan = {
      name: 'pid1',
      image: 'x',
      argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      env: {},
      stopSignal: 'SIGTERM',
      ports: [],
    };
    const events = new EventStream('pid1');
    const seen: ContainerEvent[] = [];
    events.subscribe((e) => e.type === 'container' && seen.push(e));
    const pod = new LabPod({ name: 'pid1-pod', plan: { ...plan([c], 2), pidNamespace: true }, events, onChange: () => {}, kubeletDelayMs: () => 0 });
    await pod.start();
    await new Promise((r) => setTimeout(r, 500));
    await pod.delete();
    expect(seen.some((e) => e.action === 'kill')).toBe(true);
  });
});
