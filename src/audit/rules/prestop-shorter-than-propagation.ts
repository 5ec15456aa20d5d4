import { classifyPreStop } from '../../k8s/preStop.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { graceFieldsFor, preStopOf, preStopPath, seconds } from './support/drain.js';
import { containerPatch } from './support/patches.js';

/** `sleep N` with N replaced, whether N is its own argument or inside a shell script. */
export function withSleepSeconds(command: string[], n: number): string[] {
  return command.map((arg, i) => {
    const prev = i > 0 ? command[i - 1] : undefined;
    if (prev !== undefined && /(^|\/)sleep$/.test(prev) && /^\d+(\.\d+)?s?$/.test(arg)) return String(n);
    return arg.replace(/(^|[\s;&|/])sleep\s+\d+(\.\d+)?s?\b/, (_m, lead: string) => `${lead}sleep ${n}`);
  });
}

/**
 * A preStop delay shorter than endpoint propagation (§1.6: ~1 s for kube-proxy, ≥3.3 s for
 * ingress-nginx, minutes for cloud LBs) signals the app while some consumers still route to it.
 */
export const prestopShorterThanPropagation: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'prestop-shorter-than-propagation',
    ruleOfUptime: 4,
    severity: 'warning',
    summary: 'the preStop delay is shorter than the assumed endpoint-propagation time',
    fixable: true,
  },
  check(w, settings) {
    if (!w.serving || w.inAppDrain) return [];
    const results: RuleResult[] = [];
    const target = settings.propagationSeconds;
    for (const c of trafficContainers(w)) {
      const handler = preStopOf(c);
      if (!handler) continue;
      const shape = classifyPreStop(handler);
      if ((shape.kind !== 'sleep-action' && shape.kind !== 'exec-sleep') || shape.seconds >= target) continue;
      const wanted = Math.ceil(target);
      const preStop = shape.kind === 'sleep-action' ? { sleep: { seconds: wanted } } : { exec: { command: withSleepSeconds(shape.command, wanted) } };
      results.push({
        path: shape.kind === 'sleep-action' ? [...preStopPath(c), 'sleep', 'seconds'] : [...preStopPath(c), 'exec', 'command'],
        container: c.name,
        message:
          `preStop of "${c.name}" sleeps ${seconds(shape.seconds)} but endpoint removal is assumed to take ${seconds(target)} (--propagation-seconds): ` +
          `requests routed in the last ${seconds(target - shape.seconds)} hit a closed listener`,
        fix: `sleep at least ${wanted} s in preStop (tune --propagation-seconds to your ingress or load balancer)`,
        patch: containerPatch(w, c, { lifecycle: { preStop } }, graceFieldsFor(w, c, wanted)),
      });
    }
    return results;
  },
};

export default prestopShorterThanPropagation;
