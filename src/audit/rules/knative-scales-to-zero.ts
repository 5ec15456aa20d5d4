import { MIN_SCALE_KEYS } from '../../k8s/knative.js';
import { defineRule } from './support/defineRule.js';
import { KNATIVE_SERVICE_KIND, revisionOf } from './support/knative.js';

/**
 * Scale to zero is what Knative is for, so this is a hint, and only when nobody has decided: the
 * revision template writes no min-scale and the input shows no cluster-wide `min-scale`
 * (docs/reference/knative.md#scale-to-zero). An idle revision then goes to zero pods, and the next
 * request waits in the activator while a pod is scheduled, pulls its image, starts and passes
 * readiness (knative/serving#2078, #9888, #13208). A written `min-scale: "0"` is a decision and is
 * left alone; the HPA class and `enable-scale-to-zero: "false"` never reach zero.
 */
export const knativeScalesToZero = defineRule({
  target: 'object',
  kinds: [KNATIVE_SERVICE_KIND],
  meta: {
    id: 'knative-scales-to-zero',
    ruleOfUptime: 6,
    severity: 'info',
    looksAt: 'controllers',
    summary: 'a Knative Service with no min-scale scales to zero when idle, so the next request waits for a cold start',
    messages: {
      defaultMinScale:
        'the revision template sets no {{minScaleKey}} and the input shows no cluster-wide min-scale, so Knative (min-scale 0 by default) scales ' +
        'it to zero pods after about a minute without requests; the next request then waits in the activator until a new pod is scheduled, ' +
        'started and ready{{startup}}, so its latency includes the whole cold start, and a client that gives up sooner sees it fail',
    },
    fixes: {
      decideMinScale:
        'if {{service}} must answer quickly, keep a pod: set autoscaling.knative.dev/min-scale: "1" under spec.template.metadata.annotations; ' +
        'if scaling to zero is intended, write min-scale "0" there to record the decision',
    },
  },
  check(service, _settings, { objects }) {
    const found = revisionOf(service, objects);
    if (!found) return [];
    const { revision } = found;
    if (!revision.scalesToZero || revision.minScale.source !== 'knative-default') return [];
    const delay = slowestStartSeconds(revision.containers);
    return [
      {
        path: Object.keys(revision.annotations).length > 0 ? [...revision.templatePath, 'metadata', 'annotations'] : revision.templatePath,
        messageId: 'defaultMinScale',
        data: {
          minScaleKey: MIN_SCALE_KEYS[0],
          startup: delay > 0 ? ` (its probes alone wait ${delay} s before the first check)` : '',
          service: service.name,
        },
        fixId: 'decideMinScale',
      },
    ];
  },
});

/** The longest initialDelaySeconds of a readiness or startup probe: a visible lower bound of a cold start. */
function slowestStartSeconds(containers: ReadonlyArray<Record<string, unknown>>): number {
  let most = 0;
  for (const c of containers) {
    for (const field of ['readinessProbe', 'startupProbe']) {
      const probe = c[field] as { initialDelaySeconds?: unknown } | undefined;
      if (probe && typeof probe.initialDelaySeconds === 'number') most = Math.max(most, probe.initialDelaySeconds);
    }
  }
  return most;
}

export default knativeScalesToZero;
