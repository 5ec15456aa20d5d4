import type { ObjectView, WorkloadView } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { records, specOf } from './support/fields.js';

interface TargetRef {
  kind?: unknown;
  name?: unknown;
}

const KEDA_DEFAULT_COOLDOWN_SECONDS = 300;

function targetOf(ref: unknown): { kind: string; name: string } | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const { kind, name } = ref as TargetRef;
  if (typeof name !== 'string') return undefined;
  return { kind: typeof kind === 'string' ? kind : 'Deployment', name };
}

/** A Service port that only exposes metrics is scraped, not served: a queue worker's metrics Service does not make it serving. */
const METRICS_PORT = /metric|prometheus|monitor/i;

function carriesTraffic(service: ObjectView): boolean {
  const ports = records<{ name?: unknown; targetPort?: unknown }>(specOf(service).ports);
  if (ports.length === 0) return true;
  return ports.some(
    (p) => !(typeof p.name === 'string' && METRICS_PORT.test(p.name)) && !(typeof p.targetPort === 'string' && METRICS_PORT.test(p.targetPort)),
  );
}

/** An HTTPScaledObject (KEDA HTTP add-on) for the same workload: its interceptor holds requests while the target scales from zero. */
function httpAddOnTargets(objects: readonly ObjectView[], w: WorkloadView): boolean {
  return objects.some((o) => {
    if (o.kind !== 'HTTPScaledObject' || o.namespace !== w.namespace) return false;
    const spec = specOf(o);
    const ref = targetOf(spec.scaleTargetRef);
    const legacy = (spec.scaleTargetRef as { deployment?: unknown } | undefined)?.deployment;
    return ref?.name === w.name || legacy === w.name;
  });
}

function pausedAtReplicas(so: ObjectView): number | undefined {
  const v = so.object.metadata?.annotations?.['autoscaling.keda.sh/paused-replicas'];
  const n = Number(v);
  return v !== undefined && String(v).trim() !== '' && Number.isInteger(n) ? n : undefined;
}

/**
 * KEDA's ScaledObject defaults `minReplicaCount` to 0: when every trigger has been inactive for
 * `cooldownPeriod` (300 s), the KEDA operator itself scales the target to zero (the HPA it manages
 * never goes below 1, so `advanced.horizontalPodAutoscalerConfig.behavior` has no say in it).
 * A Service selecting the target then has no endpoints, and requests fail until a trigger
 * activates and a new pod is ready. Only the HTTP add-on's interceptor holds requests meanwhile.
 */
export const kedaScalesServingToZero = defineRule({
  target: 'object',
  kinds: ['ScaledObject'],
  meta: {
    id: 'keda-scales-serving-to-zero',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'disruption',
    summary: 'a KEDA ScaledObject can scale a workload that a Service routes to down to zero pods',
    messages: {
      scalesToZero:
        '{{minReplicaCount}}, so KEDA scales {{target}} to zero pods once its triggers ({{triggers}}) have been inactive for {{cooldownSeconds}}s; ' +
        'it is {{servingReason}}, which then has no endpoints: requests fail until a trigger activates and a new pod is ready',
      idlesToZero:
        'idleReplicaCount 0 scales {{target}} to zero pods whenever its triggers ({{triggers}}) are inactive for {{cooldownSeconds}}s, below minReplicaCount {{minReplicas}}; ' +
        'it is {{servingReason}}, which then has no endpoints: requests fail until a trigger activates and a new pod is ready',
    },
    fixes: {
      keepOnePod:
        'set spec.minReplicaCount to at least 1 (2 to survive a node drain), or front the workload with the KEDA HTTP add-on (an HTTPScaledObject) so requests wait while it scales from zero',
      dropIdleReplicas:
        'remove spec.idleReplicaCount, or front the workload with the KEDA HTTP add-on (an HTTPScaledObject) so requests wait while it scales from zero',
    },
  },
  check(so, _settings, { objects, workloads }) {
    if (!so.apiVersion.startsWith('keda.sh/')) return [];
    const spec = specOf(so);
    const ref = targetOf(spec.scaleTargetRef);
    if (!ref) return [];
    const w = workloads.find((x) => x.namespace === so.namespace && x.kind === ref.kind && x.name === ref.name);
    // A target outside the input, or one no traffic-carrying Service selects (a queue worker), is not judged.
    const services = w?.services.filter(carriesTraffic) ?? [];
    if (!w || services.length === 0 || httpAddOnTargets(objects, w)) return [];
    const paused = pausedAtReplicas(so);
    if (paused !== undefined && paused > 0) return [];
    const triggers = records<{ type?: unknown }>(spec.triggers)
      .map((t) => String(t.type ?? '?'))
      .join(', ');
    const cooldownSeconds = typeof spec.cooldownPeriod === 'number' ? spec.cooldownPeriod : KEDA_DEFAULT_COOLDOWN_SECONDS;
    const common = {
      target: `${w.kind}/${w.name}`,
      triggers: triggers || 'none',
      cooldownSeconds,
      servingReason: `selected by Service ${services.map((s) => s.name).join(', ')}`,
    };
    const min = spec.minReplicaCount;
    if (min === undefined || min === 0) {
      const minReplicaCount = min === undefined ? 'minReplicaCount is unset (KEDA default 0)' : 'minReplicaCount is 0';
      return [
        {
          path: min === undefined ? ['spec'] : ['spec', 'minReplicaCount'],
          messageId: 'scalesToZero',
          data: { ...common, minReplicaCount },
          fixId: 'keepOnePod',
        },
      ];
    }
    if (spec.idleReplicaCount === 0 && typeof min === 'number' && min > 0) {
      return [{ path: ['spec', 'idleReplicaCount'], messageId: 'idlesToZero', data: { ...common, minReplicas: min }, fixId: 'dropIdleReplicas' }];
    }
    return [];
  },
});

export default kedaScalesServingToZero;
