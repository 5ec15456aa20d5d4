import { classifyPreStop } from '../../k8s/preStop.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceFieldsFor, preStopOf, preStopPath, seconds } from './support/drain.js';
import { containerPatch } from './support/patches.js';
import { perContainer } from './support/perContainer.js';

/** `sleep N` with N replaced, whether N is its own argument or inside a shell script. */
export function withSleepSeconds(command: string[], n: number): string[] {
  return command.map((arg, i) => {
    const prev = i > 0 ? command[i - 1] : undefined;
    if (prev !== undefined && /(^|\/)sleep$/.test(prev) && /^\d+(\.\d+)?s?$/.test(arg)) return String(n);
    return arg.replace(/(^|[\s;&|/])sleep\s+\d+(\.\d+)?s?\b/, (_m, lead: string) => `${lead}sleep ${n}`);
  });
}

/**
 * A preStop delay shorter than endpoint propagation (docs/reference/traffic-routing.md#propagation-latency: ~1 s for kube-proxy, ≥3.3 s for
 * ingress-nginx, minutes for cloud LBs) signals the app while some consumers still route to it.
 */
export const prestopShorterThanPropagation = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-shorter-than-propagation',
    ruleOfUptime: 4,
    severity: 'warning',
    summary: 'the preStop delay is shorter than the assumed endpoint-propagation time',
    fixable: true,
    messages: {
      shorterThanPropagation:
        'preStop of "{{container}}" sleeps {{preStop}} but endpoint removal is assumed to take {{propagation}} (--propagation-seconds): ' +
        'requests routed in the last {{gap}} hit a closed listener',
    },
    fixes: {
      sleepLonger: 'sleep at least {{wanted}} s in preStop (tune --propagation-seconds to your ingress or load balancer)',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    const handler = preStopOf(c);
    if (!handler) return undefined;
    const target = settings.propagationSeconds;
    const shape = classifyPreStop(handler);
    if ((shape.kind !== 'sleep-action' && shape.kind !== 'exec-sleep') || shape.seconds >= target) return undefined;
    const wanted = Math.ceil(target);
    const preStop = shape.kind === 'sleep-action' ? { sleep: { seconds: wanted } } : { exec: { command: withSleepSeconds(shape.command, wanted) } };
    return {
      path: shape.kind === 'sleep-action' ? [...preStopPath(c), 'sleep', 'seconds'] : [...preStopPath(c), 'exec', 'command'],
      messageId: 'shorterThanPropagation',
      data: { container: c.name, preStop: seconds(shape.seconds), propagation: seconds(target), gap: seconds(target - shape.seconds), wanted },
      fixId: 'sleepLonger',
      patch: containerPatch(w, c, { lifecycle: { preStop } }, graceFieldsFor(w, c, wanted)),
    };
  }),
});

export default prestopShorterThanPropagation;
