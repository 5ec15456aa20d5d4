import { describe, expect, it } from 'vitest';
import type { ZerodropEvent } from '../../src/events/schema.js';
import { readLabFile } from '../../src/lab/config/labFile.js';
import { configureFromLabFile } from '../../src/lab/run/configure.js';
import { runLab, type LabRunResult } from '../../src/lab/run/runLab.js';
import { findScenario, labFilePath, runName } from '../../src/lab/scenarios/catalog.js';
import type { LabRunConfig } from '../../src/lab/run/runLab.js';

// The lab's consumer profiles (src/lab/paths) on their bundled scenarios, in process so every
// event is at hand: each broken run drops requests exactly in the windows its path's model says
// (the path still sends to a target that no longer serves), about as many as the rate puts in
// them; each fixed run drops none, because the path lets go before the pod stops. The windows are
// read from the run's own events, so a slow machine moves them but cannot fake them. One file,
// runs one after another: two labs at once on a 2-core machine starve each other. About 80 s.

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
const signalledAt = (events: Events, pod: string, container: string): number | undefined =>
  at(events, (e) => e.type === 'container' && e.pod === pod && e.container === container && e.action === 'signal');
const removedAt = (events: Events, consumer: string, pod: string): number | undefined =>
  at(events, (e) => e.type === 'endpoint' && e.consumer === consumer && e.pod === pod && e.change === 'removed');
const failed = (events: Events) => events.filter((e): e is Extract<ZerodropEvent, { type: 'request' }> => e.type === 'request' && e.error !== undefined);

/** Who a consumer sends new traffic to at time t, from its `endpoint` events. */
function viewOf(events: Events, consumer: string): (t: number) => string[] {
  const changes = events.filter((e): e is Extract<ZerodropEvent, { type: 'endpoint' }> => e.type === 'endpoint' && e.consumer === consumer);
  return (t) => {
    const members = new Set<string>();
    for (const e of changes) {
      if (e.t > t) break;
      if (e.change === 'added') members.add(e.pod);
      else members.delete(e.pod);
    }
    return [...members];
  };
}

/**
 * The path's model, read from a run's events: at time t, the share of new traffic the path
 * sends to a target that no longer serves it (`down`). Requests the rate sends while the share is
 * above zero are the drops the model predicts; a drop at a time the share is zero is not the
 * path's.
 */
interface DropModel {
  share(t: number): number;
}

function targetsModel(view: (t: number) => string[], down: (target: string, t: number) => boolean): DropModel {
  return {
    share: (t) => {
      const targets = view(t);
      return targets.length === 0 ? 0 : targets.filter((x) => down(x, t)).length / targets.length;
    },
  };
}

/** Requests the model says the rate drops between two times, integrated in 10 ms steps. */
function predictedDrops(model: DropModel, rate: number, fromMs: number, toMs: number): number {
  let n = 0;
  for (let t = fromMs; t < toMs; t += 10) n += model.share(t) * rate * 0.01;
  return n;
}

/**
 * Every failure that is not a timeout happened while the model drops traffic (give or take the
 * event loop's lag); timeouts elsewhere are a starved machine's and prove nothing. The failures
 * inside the model's windows reach half of what it predicts (the other half is room for requests
 * a busy machine sends late); the prediction itself is large enough to matter.
 */
function expectDropsAsModelled(events: Events, model: DropModel, rate: number, classes: string[], least: number): void {
  const inWindow = (t: number): boolean => {
    for (let x = t - 200; x <= t + 500; x += 10) if (model.share(x) > 0) return true;
    return false;
  };
  const drops = failed(events);
  const outside = drops.filter((r) => !inWindow(r.start));
  expect(outside.filter((r) => r.error !== 'timeout').map((r) => ({ t: Math.round(r.start), error: r.error, pod: r.pod }))).toEqual([]);
  for (const r of drops) if (r.error !== 'timeout') expect(classes).toContain(r.error);
  // Over the load window only: before it, the consumers may be anything.
  const sent = events.filter((e): e is Extract<ZerodropEvent, { type: 'request' }> => e.type === 'request').map((e) => e.intended);
  const predicted = predictedDrops(model, rate, Math.min(...sent), Math.max(...sent));
  expect(predicted).toBeGreaterThan(least);
  expect(drops.length - outside.length).toBeGreaterThan(predicted / 2);
}

/** A fixed run may be inconclusive on a starved machine, with timeouts only; any other failure is a real drop. */
function expectNoDrops(result: LabRunResult): void {
  if (result.verdict === 'inconclusive' && result.failures > 0) expect(result.failuresByClass).toEqual({ timeout: result.failures });
  else expect(result.failures, JSON.stringify(result)).toBe(0);
  expect(result.rollout.completed).toBe(true);
}

describe('lab consumer profile: a cloud load balancer with IP targets (scenario alb-ip-targets)', () => {
  it('keeps sending to a deleted pod until its deregistration, 8 s after the delete: a 4 s preStop drops, a 10 s preStop does not', async () => {
    const broken = await run('alb-ip-targets', 'prestop-4s');
    const R = broken.config.trafficPath!.removalSeconds * 1000;
    for (const pod of oldPods(broken.events)) {
      // The target group lets go `removalSeconds` after the delete, never before.
      const deregistered = removedAt(broken.events, 'aws-alb-ip', pod)! - terminatingAt(broken.events, pod);
      expect(deregistered).toBeGreaterThanOrEqual(R - 5);
      expect(deregistered).toBeLessThan(R + 1500);
    }
    // Down: the app has had its stop signal (it exits at once) while the ALB still sends to it.
    const stopped = (pod: string, t: number): boolean => (signalledAt(broken.events, pod, 'web') ?? Number.POSITIVE_INFINITY) <= t;
    const model = targetsModel(viewOf(broken.events, 'aws-alb-ip'), stopped);
    expectDropsAsModelled(broken.events, model, broken.config.rate, ['http-5xx', 'socket-closed', 'reset'], 100);
    // The ALB answers 502 for the pod it tried: every one of them names an old pod.
    for (const r of failed(broken.events)) if (r.error === 'http-5xx') expect(oldPods(broken.events)).toContain(r.pod);

    const fixed = await run('alb-ip-targets', 'prestop-10s');
    expectNoDrops(fixed.result);
    for (const pod of oldPods(fixed.events)) expect(removedAt(fixed.events, 'aws-alb-ip', pod)!).toBeLessThan(signalledAt(fixed.events, pod, 'web')!);
  }, 90_000);
});

describe('lab consumer profile: externalTrafficPolicy: Local (scenario node-local)', () => {
  it('drops connections on a node left without a serving pod until its health check takes the node out; a preStop that outlasts the checks drops none', async () => {
    const broken = await run('node-local', 'prestop-2s');
    const hc = broken.config.trafficPath!.healthCheck!;
    const placed = new Map<string, string>();
    for (const e of broken.events) {
      const m = e.type === 'note' ? /^pod (\S+) placed on (\S+)$/.exec(e.message) : null;
      if (m) placed.set(m[1]!, m[2]!);
    }
    const newPods = new Set(broken.events.flatMap((e) => (e.type === 'pod' && e.phase === 'created' && e.revision === 'rev2' ? [e.pod] : [])));
    let alone = 0;
    for (const pod of oldPods(broken.events)) {
      const node = placed.get(pod)!;
      // A node that never gets a new pod is taken out: its check fails once its kube-proxy has
      // seen the delete (within the propagation delay), then after `unhealthyThreshold` failures
      // `intervalSeconds` apart.
      if ([...placed].some(([other, n]) => n === node && newPods.has(other))) continue;
      alone++;
      const deleted = terminatingAt(broken.events, pod);
      const taken = at(broken.events, (e) => e.type === 'note' && e.t >= deleted && e.message.startsWith(`load balancer: ${node} out after`))! - deleted;
      expect(taken).toBeGreaterThanOrEqual((hc.unhealthyThreshold - 1) * hc.intervalSeconds * 1000 - 50);
      expect(taken).toBeLessThan(broken.config.propagation.maxMs + hc.unhealthyThreshold * hc.intervalSeconds * 1000 + 1500);
    }
    // With a node per pod, at least one old pod's node never gets a new pod.
    expect(alone).toBeGreaterThanOrEqual(1);
    // Down: a node in the load balancer whose kube-proxy forwards to no pod that still serves
    // (none left: dropped; only an exited one: reset).
    const nodes = new Map([...new Set(placed.values())].map((n) => [n, viewOf(broken.events, `kube-proxy@${n}`)]));
    const serving = (pod: string, t: number): boolean => (signalledAt(broken.events, pod, 'web') ?? Number.POSITIVE_INFINITY) > t;
    const model = targetsModel(viewOf(broken.events, 'load-balancer'), (node, t) => !(nodes.get(node)?.(t) ?? []).some((pod) => serving(pod, t)));
    expectDropsAsModelled(broken.events, model, broken.config.rate, ['reset', 'timeout', 'socket-closed'], 20);

    const fixed = await run('node-local', 'prestop-9s');
    expectNoDrops(fixed.result);
  }, 120_000);
});

describe('lab consumer profile: a mesh sidecar that refuses on SIGTERM (scenario linkerd-proxy-shutdown)', () => {
  it("the injected Linkerd proxy refuses requests the clients still send during the app's preStop; a wait before exit longer than the preStop drops none", async () => {
    const broken = await run('linkerd-proxy-shutdown', 'no-wait');
    expect(broken.config.workload.notes.join('\n')).toMatch(/Linkerd proxy injected/);
    for (const pod of oldPods(broken.events)) {
      // No preStop on the proxy: it is signalled as soon as the kubelet acts, long before the app.
      expect(signalledAt(broken.events, pod, 'linkerd-proxy')!).toBeLessThan(signalledAt(broken.events, pod, 'web')!);
    }
    // Down: the pod's proxy has had SIGTERM while the clients (the ingress-like proxy) still send.
    const refusing = (pod: string, t: number): boolean => (signalledAt(broken.events, pod, 'linkerd-proxy') ?? Number.POSITIVE_INFINITY) <= t;
    const model = targetsModel(viewOf(broken.events, 'proxy'), refusing);
    expectDropsAsModelled(broken.events, model, broken.config.rate, ['http-5xx', 'socket-closed', 'reset'], 100);
    for (const r of failed(broken.events)) if (r.error === 'http-5xx') expect(oldPods(broken.events)).toContain(r.pod);

    const fixed = await run('linkerd-proxy-shutdown', 'wait-7s');
    expectNoDrops(fixed.result);
    for (const pod of oldPods(fixed.events)) expect(removedAt(fixed.events, 'proxy', pod)!).toBeLessThan(signalledAt(fixed.events, pod, 'linkerd-proxy')!);
  }, 90_000);
});
