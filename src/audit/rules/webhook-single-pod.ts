import { podsOf, REPLICATED_KINDS } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

/**
 * The API server calls an admission webhook on every matching write; with `failurePolicy: Fail`
 * a call that finds no ready pod rejects the write (docs/reference/service-consumers.md#admission-webhooks).
 * One pod behind the webhook's Service means every node drain, eviction, crash, and the endpoint
 * switch of each rollout stops those writes cluster-wide. With `Ignore` the write passes unchecked,
 * so nothing fails and nothing is reported.
 */
export const webhookSinglePod = defineRule({
  target: 'workload',
  meta: {
    id: 'webhook-single-pod',
    ruleOfUptime: 6,
    severity: 'warning',
    looksAt: 'addons',
    summary: 'an admission webhook with failurePolicy Fail is served by one pod',
    messages: {
      onePod:
        '{{configuration}} calls webhook {{webhook}} with failurePolicy {{policy}} at Service {{service}}, and {{workload}} is its only pod: ' +
        'while that pod is replaced, drained or down, the API server rejects every write the webhook matches, in the whole cluster',
    },
    fixes: {
      replicate: 'run at least 2 replicas spread across nodes with a PodDisruptionBudget, or set failurePolicy: Ignore if those writes may pass unchecked',
    },
  },
  check(w) {
    if (!w.serving || !(REPLICATED_KINDS.has(w.kind) || w.kind === 'Pod')) return [];
    for (const b of w.backends) {
      const port = w.servingPorts.find((p) => p.service === b.service.object && p.traffic === 'admission');
      const hook = port?.decidedBy;
      if (!hook?.webhook) continue;
      if (b.workloads.reduce((n, x) => n + podsOf(x), 0) > 1) continue;
      const written = w.object.spec?.replicas;
      const policy = hook.webhook.written ? hook.webhook.failurePolicy : `${hook.webhook.failurePolicy} (unset, the default)`;
      return [
        {
          path: w.kind === 'Pod' ? ['metadata'] : written === undefined ? ['spec'] : ['spec', 'replicas'],
          messageId: 'onePod',
          data: {
            configuration: `${String(hook.object.kind)} ${String(hook.object.metadata?.name ?? '')}`,
            webhook: hook.webhook.name,
            policy,
            service: b.service.name,
            workload: `${w.kind}/${w.name}`,
          },
          fixId: 'replicate',
        },
      ];
    }
    return [];
  },
});

export default webhookSinglePod;
