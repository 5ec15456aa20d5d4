import { featureAvailable, formatVersion } from '../../k8s/features.js';
import { classifyPreStop } from '../../k8s/preStop.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { graceOf, imageIsShellless, preStopOf, preStopPath, seconds } from './support/drain.js';
import { containerPatch } from './support/patches.js';

/** exec commands that do nothing but sleep: `sleep N`, `/bin/sleep N`, `sh -c "sleep N"`. */
export function isPureSleep(command: string[]): boolean {
  const joined = command.join(' ').trim();
  return /^(\/\S*\/)?sleep\s+\d+(\.\d+)?s?$/.test(joined) || /^(\/\S*\/)?(sh|bash|ash|dash)\s+-c\s+(\/\S*\/)?sleep\s+\d+(\.\d+)?s?$/.test(joined);
}

/**
 * From 1.30 the kubelet runs `lifecycle.preStop.sleep` itself (§5.1): no sleep binary or shell is
 * needed in the image, and the delay cannot fail with "executable file not found".
 */
export const prestopPreferSleepAction: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'prestop-prefer-sleep-action',
    ruleOfUptime: 4,
    severity: 'info',
    summary: 'an exec sleep preStop can be the built-in sleep action on this Kubernetes version',
    fixable: true,
  },
  check(w, settings) {
    if (!featureAvailable('sleepAction', settings.kubernetesVersion)) return [];
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      const handler = preStopOf(c);
      if (!handler) continue;
      const shape = classifyPreStop(handler);
      if (shape.kind !== 'exec-sleep' || !isPureSleep(shape.command) || imageIsShellless(c)) continue;
      // sleep.seconds is an integer and must not exceed the grace period (§1.1 validation).
      const whole = Math.min(Math.max(1, Math.ceil(shape.seconds)), graceOf(w).seconds);
      results.push({
        path: [...preStopPath(c), 'exec'],
        container: c.name,
        message:
          `preStop of "${c.name}" execs "${shape.command.join(' ')}" (${seconds(shape.seconds)}) inside the container; Kubernetes ${formatVersion(settings.kubernetesVersion)} ` +
          'has the sleep action (on since 1.30, §5.1), which the kubelet runs itself: no sleep binary or shell needed in the image',
        fix: `replace exec with lifecycle.preStop.sleep.seconds: ${whole}`,
        patch: containerPatch(w, c, { lifecycle: { preStop: { exec: null, sleep: { seconds: whole } } } }),
      });
    }
    return results;
  },
};

export default prestopPreferSleepAction;
