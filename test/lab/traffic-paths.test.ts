import { describe, expect, it } from 'vitest';
import type { ZerodropEvent } from '../../src/events/schema.js';
import { readLabFile } from '../../src/lab/config/labFile.js';
import { configureFromLabFile } from '../../src/lab/run/configure.js';
import { runLab, type LabRunResult } from '../../src/lab/run/runLab.js';
import { findScenario, labFilePath, runName } from '../../src/lab/scenarios/catalog.js';
import type { LabRunConfig } from '../../src/lab/run/runLab.js';

// The lab's consumer profiles (src/lab/paths) on their bundled scenarios, in process so every
// event is at hand: each broken run drops requests exactly in the windows its path's model says
// (the pod has stopped, the path still sends to it), as many as the rate fills in them; each fixed
// run drops none, because the path lets go before the pod stops. The windows are read from the
// run's own events, so a slow machine moves them but cannot fake them. One file, runs one after
// another: two labs at once on a 2-core machine starve each other. About 80 s.

type Events = ZerodropEvent[];

async function run(scenario: string, name: string): Promise<{ result: LabRunResult; events: Events; config: LabRunConfig }> {
  const entry = findScenario(scenario)!.runs.find((r) => runName(r) === name)!;
  const config = await configureFromLabFile(readLabFile(labFilePath(entry)), { quick: true }, 'test', name);
  const events: Events = [];
  const result = await runLab(config, { listeners: [(e) => events.push(e)] });
  return { result, events, config };
}

const oldPods = (events: Events): string[] => [
  ...new Set(events.flatMap((e) => (e.type === 'pod' && e.phase === 'terminating' && e.revision === 'rev1' ? [e.pod] : []))),
];
const at = (events: Events, match: (e: ZerodropEvent) => boolean): number | undefined => events.find(match)?.t;
const terminatingAt = (events: Events, pod: string): number => at(events, (e) => e.type === 'pod' && e.pod === pod && e.phase === 'terminating')!;
const signalledAt = (events: Events, pod: string, container: string): number =>
  at(events, (e) => e.type === 'container' && e.pod === pod && e.container === container && e.action === 'signal')!;
const removedAt = (events: Events, consumer: string, pod: string): number | undefined =>
  at(events, (e) => e.type === 'endpoint' && e.consumer === consumer && e.pod === pod && e.change === 'removed');
const failed = (events: Events) => events.filter((e): e is Extract<ZerodropEvent, { type: 'request' }> => e.type === 'request' && e.error !== undefined);

/** A fixed run may be inconclusive on a starved machine, with timeouts only; any other failure is a real drop. */
function expectNoDrops(result: LabRunResult): void {
  if (result.verdict === 'inconclusive' && result.failures > 0) expect(result.failuresByClass).toEqual({ timeout: result.failures });
  else expect(result.failures, JSON.stringify(result)).toBe(0);
  expect(result.rollout.completed).toBe(true);
}

/**
 * Requests the rate sends into the windows, given that at most `targets` share it: the least the
 * model predicts. Half of it is the bound asserted, for the requests a busy machine sends late.
 */
const leastDrops = (windowsMs: number[], rate: number, targets: number): number =>
  (windowsMs.reduce((a, w) => a + Math.max(0, w), 0) / 1000) * (rate / targets);

describe('lab consumer profile: a cloud load balancer with IP targets (scenario alb-ip-targets)', () => {
  it('keeps sending to a deleted pod until its deregistration, 8 s after the delete: a 4 s preStop drops, a 10 s preStop does not', async () => {
    const broken = await run('alb-ip-targets', 'prestop-4s');
    const R = broken.config.trafficPath!.removalSeconds * 1000;
    const windows: Array<[number, number]> = [];
    for (const pod of oldPods(broken.events)) {
      const deleted = terminatingAt(broken.events, pod);
      const deregistered = removedAt(broken.events, 'aws-alb-ip', pod)!;
      // The model: the target group lets go `removalSeconds` after the delete, never before.
      expect(deregistered - deleted).toBeGreaterThanOrEqual(R - 5);
      expect(deregistered - deleted).toBeLessThan(R + 1500);
      windows.push([signalledAt(broken.events, pod, 'web'), deregistered]);
    }
    expect(windows).toHaveLength(2);
    const drops = failed(broken.events);
    // Every drop is a 502 for an old pod that had exited and was still a target.
    for (const r of drops) {
      expect(r.error).toBe('http-5xx');
      expect(oldPods(broken.events)).toContain(r.pod);
      const [from, to] = windows[oldPods(broken.events).indexOf(r.pod!)]!;
      expect(r.start).toBeGreaterThanOrEqual(from - 50);
      expect(r.start).toBeLessThanOrEqual(to + 500);
    }
    const least = leastDrops(
      windows.map(([from, to]) => to - from),
      broken.config.rate,
      broken.config.workload.deployment.fenceposts.maxSurge + broken.config.workload.deployment.replicas,
    );
    expect(least).toBeGreaterThan(100);
    expect(drops.length).toBeGreaterThan(least / 2);

    const fixed = await run('alb-ip-targets', 'prestop-10s');
    expectNoDrops(fixed.result);
    for (const pod of oldPods(fixed.events)) expect(removedAt(fixed.events, 'aws-alb-ip', pod)!).toBeLessThan(signalledAt(fixed.events, pod, 'web'));
  }, 90_000);
});

describe('lab consumer profile: externalTrafficPolicy: Local (scenario node-local)', () => {
  it('drops connections on a node whose only pod has exited until its health check takes the node out; a preStop that outlasts the checks drops none', async () => {
    const broken = await run('node-local', 'prestop-2s');
    const hc = broken.config.trafficPath!.healthCheck!;
    const placed = new Map<string, string>();
    for (const e of broken.events) {
      const m = e.type === 'note' ? /^pod (\S+) placed on (\S+)$/.exec(e.message) : null;
      if (m) placed.set(m[1]!, m[2]!);
    }
    const out = (node: string, after: number): number | undefined =>
      at(broken.events, (e) => e.type === 'note' && e.t >= after && e.message.startsWith(`load balancer: ${node} out after`));
    const newPods = new Set(broken.events.flatMap((e) => (e.type === 'pod' && e.phase === 'created' && e.revision === 'rev2' ? [e.pod] : [])));
    const windows: Array<[number, number]> = [];
    for (const pod of oldPods(broken.events)) {
      const node = placed.get(pod)!;
      const deleted = terminatingAt(broken.events, pod);
      // A node that gets a new pod recovers when that pod is ready; one that never does is dropped.
      if ([...placed].some(([other, n]) => n === node && newPods.has(other))) continue;
      const taken = out(node, deleted)!;
      // The model: the check fails once kube-proxy has seen the delete (at most 2 s), then it
      // takes `unhealthyThreshold` failures `intervalSeconds` apart.
      expect(taken - deleted).toBeGreaterThanOrEqual((hc.unhealthyThreshold - 1) * hc.intervalSeconds * 1000 - 50);
      expect(taken - deleted).toBeLessThan(broken.config.propagation.maxMs + hc.unhealthyThreshold * hc.intervalSeconds * 1000 + 1500);
      windows.push([signalledAt(broken.events, pod, 'web'), taken]);
    }
    // With a node per pod, at least one old pod's node never gets a new pod.
    expect(windows.length).toBeGreaterThanOrEqual(1);
    const drops = failed(broken.events);
    const from = Math.min(...windows.map((w) => w[0]));
    const to = Math.max(...windows.map((w) => w[1]));
    for (const r of drops) {
      // Reset while kube-proxy still forwards to the exited pod; a timeout once the node drops packets.
      expect(['reset', 'timeout']).toContain(r.error);
      expect(r.start).toBeGreaterThanOrEqual(from - 50);
      expect(r.start).toBeLessThanOrEqual(to + 500);
    }
    const least = leastDrops(
      windows.map(([a, b]) => b - a),
      broken.config.rate,
      broken.config.trafficPath!.nodes!,
    );
    expect(least).toBeGreaterThan(20);
    expect(drops.length).toBeGreaterThan(least / 2);

    const fixed = await run('node-local', 'prestop-9s');
    expectNoDrops(fixed.result);
  }, 120_000);
});

describe('lab consumer profile: a mesh sidecar that refuses on SIGTERM (scenario linkerd-proxy-shutdown)', () => {
  it("the injected Linkerd proxy refuses requests the clients still send during the app's preStop; a wait before exit longer than the preStop drops none", async () => {
    const broken = await run('linkerd-proxy-shutdown', 'no-wait');
    expect(broken.config.workload.notes.join('\n')).toMatch(/Linkerd proxy injected/);
    const windows: Array<[number, number]> = [];
    for (const pod of oldPods(broken.events)) {
      // No preStop on the proxy: it is signalled as soon as the kubelet acts, while the clients
      // (the ingress-like proxy) still send until the delete reaches them.
      const refused = signalledAt(broken.events, pod, 'linkerd-proxy');
      expect(refused).toBeLessThan(signalledAt(broken.events, pod, 'web'));
      windows.push([refused, removedAt(broken.events, 'proxy', pod)!]);
    }
    expect(windows).toHaveLength(2);
    const drops = failed(broken.events);
    for (const r of drops) {
      expect(r.error).toBe('http-5xx');
      const i = oldPods(broken.events).indexOf(r.pod!);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(r.start).toBeGreaterThanOrEqual(windows[i]![0] - 50);
      expect(r.start).toBeLessThanOrEqual(windows[i]![1] + 500);
    }
    const least = leastDrops(
      windows.map(([a, b]) => b - a),
      broken.config.rate,
      broken.config.workload.deployment.fenceposts.maxSurge + broken.config.workload.deployment.replicas,
    );
    expect(least).toBeGreaterThan(100);
    expect(drops.length).toBeGreaterThan(least / 2);

    const fixed = await run('linkerd-proxy-shutdown', 'wait-7s');
    expectNoDrops(fixed.result);
    for (const pod of oldPods(fixed.events)) expect(removedAt(fixed.events, 'proxy', pod)!).toBeLessThan(signalledAt(fixed.events, pod, 'linkerd-proxy'));
  }, 90_000);
});
