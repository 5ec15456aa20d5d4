import { preStopDelaySeconds, type KubeObject } from '../../k8s/objects.js';
import { trafficContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { preStopOf, seconds } from './support/drain.js';
import { objectViewOf } from '../views.js';

const ATTRIBUTES = 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes';
/** ELB's default deregistration delay (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#deregistration-delay). */
const DEFAULT_DELAY_SECONDS = 300;

/** `key=value,key=value` target-group attributes, the port-specific annotation over the Service-wide one. */
function attributesOf(service: KubeObject, ports: readonly number[]): { attrs: Map<string, string>; key: string } {
  const a = service.metadata?.annotations ?? {};
  const parse = (raw: unknown, into: Map<string, string>) => {
    for (const part of String(raw ?? '').split(',')) {
      const [k, v] = part.split('=').map((x) => x.trim());
      if (k) into.set(k, v ?? '');
    }
  };
  const attrs = new Map<string, string>();
  parse(a[ATTRIBUTES], attrs);
  let key = ATTRIBUTES;
  for (const port of ports) {
    const specific = a[`${ATTRIBUTES}.${port}`];
    if (specific === undefined) continue;
    parse(specific, attrs);
    key = `${ATTRIBUTES}.${port}`;
  }
  return { attrs, key };
}

/**
 * With `deregistration_delay.connection_termination.enabled=true` an NLB closes every connection
 * still open to a deregistered target when the deregistration delay ends. The controller
 * deregisters a pod as it starts terminating, so a delay shorter than the pod's preStop plus its
 * drain cuts requests the pod would still have finished
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#deregistration-delay).
 */
export const lbConnectionTerminationCutsDrain = defineRule({
  target: 'workload',
  meta: {
    id: 'lb-connection-termination-cuts-drain',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'an NLB terminates connections at the end of a deregistration delay shorter than the pods take to drain',
    messages: {
      cutsDrain:
        '{{path}} closes open connections {{delay}} after deregistration ({{delaySource}}, connection_termination.enabled=true), but "{{container}}" ' +
        'keeps serving them for {{lifetime}} (preStop {{preStop}} + drain {{drain}}): requests still in flight at {{delay}} are cut',
    },
    fixes: {
      raiseDelay: 'in {{key}} set deregistration_delay.timeout_seconds={{needed}} or more, or drop deregistration_delay.connection_termination.enabled=true',
    },
  },
  check(w) {
    if (!w.serving) return [];
    const out = [];
    for (const path of w.paths) {
      if (path.kind !== 'aws-nlb-ip') continue;
      const service = path.via.find((o) => o.kind === 'Service');
      if (!service) continue;
      const ports = w.servingPorts.filter((p) => p.service === service && typeof p.port.port === 'number').map((p) => p.port.port as number);
      const { attrs, key } = attributesOf(service, ports);
      if (attrs.get('deregistration_delay.connection_termination.enabled')?.toLowerCase() !== 'true') continue;
      const written = attrs.get('deregistration_delay.timeout_seconds');
      const delay = written !== undefined && /^\d+$/.test(written) ? Number(written) : DEFAULT_DELAY_SECONDS;
      const lives = trafficContainers(w).map((c) => ({ c, preStop: preStopDelaySeconds(preStopOf(c)) ?? 0 }));
      const longest = lives.sort((a, b) => b.preStop - a.preStop)[0];
      if (!longest) continue;
      const lifetime = longest.preStop + w.drainSeconds;
      if (delay >= lifetime) continue;
      out.push({
        path: ['metadata', 'annotations', key],
        at: objectViewOf(service),
        messageId: 'cutsDrain' as const,
        data: {
          path: path.description,
          delay: seconds(delay),
          delaySource: written !== undefined ? 'deregistration_delay.timeout_seconds' : 'the default deregistration delay',
          container: longest.c.name,
          lifetime: seconds(lifetime),
          preStop: seconds(longest.preStop),
          drain: seconds(w.drainSeconds),
          key,
          needed: Math.ceil(lifetime),
        },
        fixId: 'raiseDelay' as const,
        trafficPath: path,
      });
    }
    return out;
  },
});

export default lbConnectionTerminationCutsDrain;
