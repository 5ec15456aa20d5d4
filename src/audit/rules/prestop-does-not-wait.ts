import { classifyPreStop } from '../../k8s/preStop.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { preStopOf, preStopPath, seconds } from './support/drain.js';

/**
 * The kubelet sends the stop signal as soon as the preStop hook returns (§1.2 step 4). A hook that
 * only signals the server (`nginx -s quit`, `kill -QUIT 1`) returns at once, so it provides no delay
 * for endpoint removal (kubernetes/website#1414).
 */
export const prestopDoesNotWait: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'prestop-does-not-wait',
    ruleOfUptime: 4,
    severity: 'error',
    summary: 'the preStop hook signals the server and returns at once, so nothing waits for endpoint removal',
  },
  check(w, settings) {
    if (!w.serving || w.inAppDrain) return [];
    const results: RuleResult[] = [];
    for (const c of trafficContainers(w)) {
      const handler = preStopOf(c);
      if (!handler) continue;
      const shape = classifyPreStop(handler);
      if (shape.kind !== 'signal-and-return') continue;
      const script =
        /(^|\/)(sh|bash|ash|dash)$/.test(shape.command[0] ?? '') && shape.command[1] === '-c' ? shape.command.slice(2).join(' ') : shape.command.join(' ');
      const wait = Math.ceil(settings.propagationSeconds);
      results.push({
        path: [...preStopPath(c), 'exec', 'command'],
        container: c.name,
        message:
          `preStop of "${c.name}" runs "${shape.command.join(' ')}": ${shape.what} at once, and the kubelet sends the stop signal as soon as the hook returns (§1.2), ` +
          `so nothing waits the ${seconds(settings.propagationSeconds)} endpoint removal is assumed to take and requests keep arriving while the server shuts down`,
        fix: `sleep first (lifecycle.preStop.sleep.seconds: ${wait}) and let the image's STOPSIGNAL do the graceful stop, or sleep in the hook: sh -c "sleep ${wait}; ${script}"`,
      });
    }
    return results;
  },
};

export default prestopDoesNotWait;
