import { cloudRunMarker, isKnativeService } from '../../k8s/knative.js';
import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { indexedRecords } from './support/fields.js';
import { KNATIVE_SERVICE_KIND } from './support/knative.js';

type Message = 'lifecycle' | 'gracePeriod' | 'autoscalingOnService';
type Fix = 'dropLifecycle' | 'dropGracePeriod' | 'moveAnnotation';

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Fields a Deployment's pod spec may carry but Knative's webhook rejects in a revision template
 * (docs/reference/knative.md#which-pod-rules-apply): Knative writes the container lifecycle (its
 * preStop waits for queue-proxy's drain) and the grace period (from `timeoutSeconds`) itself, so
 * `PodSpecMask`/`ContainerMask` in pkg/apis/serving/fieldmask.go drop them and the validation
 * reports them as disallowed; autoscaling annotations belong on the revision template, not on
 * the Service (pkg/apis/serving/metadata_validation.go). Such a Service is not applied at all.
 */
export const knativeFieldRejected = defineRule({
  target: 'object',
  kinds: [KNATIVE_SERVICE_KIND],
  meta: {
    id: 'knative-field-rejected',
    ruleOfUptime: null,
    severity: 'error',
    looksAt: 'controllers',
    summary:
      'a Knative Service sets a pod field or annotation the Knative webhook rejects (lifecycle, terminationGracePeriodSeconds, autoscaling annotations on the Service)',
    messages: {
      lifecycle:
        'container {{container}} sets lifecycle, which Knative does not allow in a revision template: the webhook rejects the Service ' +
        '("must not set the field(s)"). Knative gives the container its own preStop, which waits until queue-proxy has drained',
      gracePeriod:
        'terminationGracePeriodSeconds is not allowed in a revision template: the webhook rejects the Service ("must not set the field(s)"). ' +
        'Knative sets the pods’ grace period from timeoutSeconds ({{timeout}})',
      autoscalingOnService:
        '{{key}} is on the Service’s own metadata, where the webhook rejects autoscaling annotations ("autoscaling annotations must be put ' +
        'under spec.template.metadata.annotations to work")',
    },
    fixes: {
      dropLifecycle: 'remove lifecycle from container {{container}}: queue-proxy drains the pod before the container is stopped',
      dropGracePeriod: 'remove terminationGracePeriodSeconds; to give pods longer to finish requests, raise spec.template.spec.timeoutSeconds',
      moveAnnotation: 'move {{key}} to spec.template.metadata.annotations',
    },
  },
  check(service) {
    const o = service.object;
    if (!isKnativeService(o) || cloudRunMarker(o) !== undefined) return [];
    const results: RuleResult<Message, Fix>[] = [];
    const annotations = isRecord(o.metadata?.annotations) ? o.metadata.annotations : {};
    for (const key of Object.keys(annotations)) {
      if (key.startsWith('autoscaling.knative.dev/'))
        results.push({ path: ['metadata', 'annotations', key], messageId: 'autoscalingOnService', data: { key }, fixId: 'moveAnnotation' });
    }
    const template = isRecord(o.spec) && isRecord(o.spec.template) ? o.spec.template : {};
    const spec = isRecord(template.spec) ? template.spec : {};
    const specPath = ['spec', 'template', 'spec'];
    if (spec.terminationGracePeriodSeconds !== undefined) {
      const t = spec.timeoutSeconds;
      results.push({
        path: [...specPath, 'terminationGracePeriodSeconds'],
        messageId: 'gracePeriod',
        data: { timeout: typeof t === 'number' && t > 0 ? `timeoutSeconds ${t}` : 'timeoutSeconds unset, 300 by default' },
        fixId: 'dropGracePeriod',
      });
    }
    for (const list of ['initContainers', 'containers'] as const) {
      for (const { item: c, index } of indexedRecords<Record<string, unknown>>(spec[list])) {
        if (c.lifecycle === undefined) continue;
        const container = typeof c.name === 'string' ? c.name : `${list}[${index}]`;
        results.push({ path: [...specPath, list, index, 'lifecycle'], container, messageId: 'lifecycle', data: { container }, fixId: 'dropLifecycle' });
      }
    }
    return results;
  },
});

export default knativeFieldRejected;
