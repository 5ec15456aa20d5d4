import type { Container } from '../../k8s/objects.js';
import type { ObjectView, WorkloadView } from '../types.js';
import { lowestReplicas } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { specOf } from './support/fields.js';
import { parseQuantity } from './support/quantity.js';
import { rollingArithmeticOf } from './support/rollout.js';
import { argoStrategyOf } from '../../k8s/argoRollouts.js';
import { count } from './support/wording.js';

/** Quota keys a pod's containers consume, with the container field they sum; `pods` counts pods. */
const TRACKED: Readonly<Record<string, { field: 'requests' | 'limits'; resource: string } | 'pods'>> = {
  pods: 'pods',
  cpu: { field: 'requests', resource: 'cpu' },
  memory: { field: 'requests', resource: 'memory' },
  'requests.cpu': { field: 'requests', resource: 'cpu' },
  'requests.memory': { field: 'requests', resource: 'memory' },
  'limits.cpu': { field: 'limits', resource: 'cpu' },
  'limits.memory': { field: 'limits', resource: 'memory' },
};

function amount(c: Container, field: 'requests' | 'limits', resource: string): number {
  const r = (c.resources as Record<string, Record<string, unknown> | undefined> | undefined)?.[field]?.[resource];
  // Requests default to limits when only limits are set.
  const v = r ?? (field === 'requests' ? (c.resources as { limits?: Record<string, unknown> } | undefined)?.limits?.[resource] : undefined);
  return parseQuantity(v) ?? 0;
}

/**
 * What one pod of the workload charges against a quota key, as a lower bound: running containers
 * and native sidecars add up, an init container alone needs at least its own amount. A container
 * without the field charges 0 here (a LimitRange outside the input may default it).
 */
function perPod(w: WorkloadView, key: string): number {
  const t = TRACKED[key]!;
  if (t === 'pods') return 1;
  const running = w.containers.filter((c) => c.role !== 'init').reduce((sum, c) => sum + amount(c.container, t.field, t.resource), 0);
  const init = Math.max(0, ...w.containers.filter((c) => c.role === 'init').map((c) => amount(c.container, t.field, t.resource)));
  return Math.max(running, init);
}

/** Pods the workload keeps in steady state, as a lower bound: DaemonSets and batch pods count 0 (their number is not in the input). */
function steadyPods(w: WorkloadView): number {
  if (w.kind === 'Pod') return 1;
  return lowestReplicas(w) ?? 0;
}

function format(key: string, n: number): string {
  if (key === 'pods') return String(n);
  if (key.endsWith('cpu') || key === 'cpu') return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
  const mi = n / 2 ** 20;
  return Number.isInteger(mi) ? `${mi}Mi` : String(n);
}

/**
 * Pods are charged against a namespace's ResourceQuota when they are created: a surge pod that
 * does not fit is rejected ("exceeded quota") and the rollout waits. Decided only from what the
 * input shows: a quota without scopes, and the sum of the namespace's workloads in the input as a
 * lower bound of what is already used.
 */
export const surgeExceedsResourceQuota = defineRule({
  target: 'object',
  kinds: ['ResourceQuota'],
  meta: {
    id: 'surge-exceeds-resource-quota',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'rollout',
    summary: 'a ResourceQuota leaves no room for the surge pod of a rolling update',
    messages: {
      neverProceeds:
        '{{key}} {{hard}} is already taken by the workloads of namespace {{namespace}} in the input ({{used}}), and a surge pod of {{workload}} needs {{perPod}} more: ' +
        'the API server rejects it (exceeded quota) and, with maxUnavailable 0, the rollout never proceeds',
      runsBelowReplicas:
        '{{key}} {{hard}} is already taken by the workloads of namespace {{namespace}} in the input ({{used}}), and a surge pod of {{workload}} needs {{perPod}} more: ' +
        'the API server rejects it (exceeded quota), so the rollout stops an old pod before each new one and runs below {{replicas}} ready pods',
      blueGreenNeverPromotes:
        '{{key}} {{hard}} is already taken by the workloads of namespace {{namespace}} in the input ({{used}}), and the blue-green update of {{workload}} starts {{surge}} beside the old ones ' +
        '({{perPod}} each) before it switches: the API server rejects those beyond the quota (exceeded quota), the new ReplicaSet never becomes fully available, and the Rollout never promotes',
    },
    fixes: {
      raiseQuota: 'raise {{key}} to at least {{needed}} (room for {{surge}} of {{workload}}), or roll {{workload}} with maxSurge: 0 and maxUnavailable: 1',
      raiseQuotaForBlueGreen:
        'raise {{key}} to at least {{needed}} (room for {{surge}} of {{workload}}): a blue-green update runs both versions at full size until the switch',
    },
  },
  check(quota: ObjectView, _settings, { workloads }) {
    const spec = specOf(quota);
    if (spec.scopes !== undefined || spec.scopeSelector !== undefined) return [];
    const hard = (spec.hard && typeof spec.hard === 'object' ? spec.hard : {}) as Record<string, unknown>;
    const keys = Object.keys(hard).filter((k) => k in TRACKED && parseQuantity(hard[k]) !== undefined);
    if (keys.length === 0) return [];
    const inNamespace = workloads.filter((w) => w.namespace === quota.namespace);
    const used = (key: string) => inNamespace.reduce((sum, w) => sum + steadyPods(w) * perPod(w, key), 0);
    const results = [];
    for (const w of inNamespace) {
      if (!w.replicas) continue;
      // A Deployment, a Rollout's basic canary or a DeploymentConfig's Rolling strategy surge by maxSurge;
      // a blue-green Rollout starts a whole second ReplicaSet (src/k8s/argoRollouts.ts).
      const blueGreen = w.kind === 'Rollout' && argoStrategyOf(w.object)?.strategy === 'blueGreen';
      const f = blueGreen ? { maxSurge: w.replicas, maxUnavailable: 0 } : rollingArithmeticOf(w, w.replicas)?.fenceposts;
      if (!f || f.maxSurge === 0) continue;
      for (const key of keys) {
        const limit = parseQuantity(hard[key])!;
        const now = used(key);
        const one = perPod(w, key);
        // Over quota already is another problem; a pod that charges nothing always fits.
        if (one === 0 || now > limit + 1e-9 || now + one * (blueGreen ? f.maxSurge : 1) <= limit + 1e-9) continue;
        const data = {
          key,
          hard: String(hard[key]),
          used: format(key, now),
          perPod: format(key, one),
          needed: format(key, now + one * f.maxSurge),
          surge: count(f.maxSurge, blueGreen ? 'new pod' : 'surge pod'),
          workload: `${w.kind}/${w.name}`,
          namespace: quota.namespace,
        };
        const path = ['spec', 'hard', key];
        if (blueGreen) results.push({ path, messageId: 'blueGreenNeverPromotes' as const, data, fixId: 'raiseQuotaForBlueGreen' as const });
        else
          results.push({
            path,
            messageId: f.maxUnavailable === 0 ? ('neverProceeds' as const) : ('runsBelowReplicas' as const),
            data: { ...data, replicas: w.replicas },
            fixId: 'raiseQuota' as const,
          });
        break;
      }
    }
    return results;
  },
});

export default surgeExceedsResourceQuota;
