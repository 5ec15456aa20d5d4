import { featureAvailable } from '../../k8s/features.js';
import { classifyPreStop, execBinary } from '../../k8s/preStop.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { longRunningContainers } from './support/containers.js';
import { graceOf, imageIsShellless, preStopOf, preStopPath } from './support/drain.js';
import { containerPatch } from './support/patches.js';

/** Binaries that distroless and scratch images do not ship. */
const SHELL_TOOLS = new Set(['sleep', 'sh', 'bash', 'ash', 'dash', 'zsh', 'busybox', 'kill', 'pkill', 'curl', 'wget', 'nc']);

/**
 * An exec preStop runs inside the container (§1.2 "Who runs them"): in a distroless or scratch
 * image `sleep` is "executable file not found" (zendesk/samson#2904); the hook fails, the kubelet
 * records FailedPreStopHook and stops the container at once, so the delay silently disappears.
 */
export const prestopBinaryMissing: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'prestop-binary-missing',
    ruleOfUptime: 4,
    severity: 'error',
    summary: 'an exec preStop runs a binary that a shell-less (distroless, scratch) image does not have',
    fixable: true,
  },
  check(w, settings) {
    const results: RuleResult[] = [];
    for (const c of longRunningContainers(w)) {
      const handler = preStopOf(c);
      const binary = handler && execBinary(handler);
      if (!handler || !binary || !imageIsShellless(c)) continue;
      const base = binary.slice(binary.lastIndexOf('/') + 1);
      if (!SHELL_TOOLS.has(base)) continue;
      const shape = classifyPreStop(handler);
      const sleepAction = featureAvailable('sleepAction', settings.kubernetesVersion);
      const canSwap = sleepAction && shape.kind === 'exec-sleep';
      const seconds = shape.kind === 'exec-sleep' ? Math.min(Math.max(1, Math.ceil(shape.seconds)), graceOf(w).seconds) : 0;
      results.push({
        path: [...preStopPath(c), 'exec', 'command'],
        container: c.name,
        message:
          `preStop of "${c.name}" runs "${binary}", but ${c.container.image ?? 'its image'} is shell-less (distroless/scratch): the hook fails with ` +
          '"executable file not found", the kubelet stops the container at once, and the preStop delay never happens',
        fix: canSwap
          ? `use the sleep action, which the kubelet runs itself: lifecycle.preStop.sleep.seconds: ${seconds}`
          : sleepAction
            ? 'use lifecycle.preStop.sleep for the delay, and let the stop signal do the rest'
            : 'this version has no sleep action (1.30+): delay shutdown in the app and annotate zerodrop.dev/in-app-drain: "true"',
        ...(canSwap ? { patch: containerPatch(w, c, { lifecycle: { preStop: { exec: null, sleep: { seconds } } } }) } : {}),
      });
    }
    return results;
  },
};

export default prestopBinaryMissing;
