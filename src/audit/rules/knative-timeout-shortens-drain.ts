import { KNATIVE_DEFAULTS } from '../../k8s/knative.js';
import { defineRule } from './support/defineRule.js';
import { describeSetting, KNATIVE_SERVICE_KIND, revisionOf } from './support/knative.js';

/**
 * Knative makes a revision's `timeoutSeconds` its pods' terminationGracePeriodSeconds, while
 * queue-proxy keeps a terminating pod serving until 30 s have passed without a request, so that
 * the networking layer (activator, ingress gateways) has stopped routing to it
 * (docs/reference/knative.md#termination). With a timeout under 30 s the kubelet SIGKILLs the pod
 * before that wait is over: requests still routed to it then are refused or cut.
 */
export const knativeTimeoutShortensDrain = defineRule({
  target: 'object',
  kinds: [KNATIVE_SERVICE_KIND],
  meta: {
    id: 'knative-timeout-shortens-drain',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'controllers',
    summary: "a Knative revision's timeoutSeconds, which is also its pods' grace period, ends before queue-proxy's 30 s drain",
    messages: {
      graceBeforeDrainEnds:
        '{{timeout}} is also the terminationGracePeriodSeconds Knative gives its pods, but queue-proxy keeps a terminating pod serving until ' +
        '{{drain}} s pass without a request, the time the networking layer gets to stop routing to it: the kubelet SIGKILLs the pod at {{grace}} s, ' +
        'and requests routed to it in the remaining {{gap}} s or more are refused or cut',
    },
    fixes: {
      raiseTimeout:
        'set spec.template.spec.timeoutSeconds to at least {{drain}} (it caps each request and sets the grace period); to give up on slow responses sooner, ' +
        'set responseStartTimeoutSeconds: {{grace}} instead, which bounds the wait for the first byte without shortening the grace period',
    },
  },
  check(service, _settings, { objects }) {
    const found = revisionOf(service, objects);
    if (!found) return [];
    const { revision, cluster } = found;
    const drain = KNATIVE_DEFAULTS.queueProxyDrainSeconds;
    const grace = revision.timeoutSeconds.value;
    // A negative timeout is rejected by the webhook; that is validation's business.
    if (grace <= 0 || grace >= drain) return [];
    return [
      {
        path: revision.timeoutSeconds.path ?? revision.specPath,
        messageId: 'graceBeforeDrainEnds',
        data: {
          timeout: describeSetting('timeoutSeconds', revision.timeoutSeconds, cluster.defaultsFrom, 'revision-timeout-seconds'),
          drain,
          grace,
          gap: drain - grace,
        },
        fixId: 'raiseTimeout',
      },
    ];
  },
});

export default knativeTimeoutShortensDrain;
