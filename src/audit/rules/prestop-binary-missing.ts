import { featureAvailable } from '../../k8s/features.js';
import { classifyPreStop, execBinary } from '../../k8s/preStop.js';
import { longRunningContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, imageIsShellless, preStopOf, preStopPath } from './support/drain.js';
import { containerPatch } from './support/patches.js';
import { perContainer } from './support/perContainer.js';

/** Binaries that distroless and scratch images do not ship. */
const SHELL_TOOLS = new Set(['sleep', 'sh', 'bash', 'ash', 'dash', 'zsh', 'busybox', 'kill', 'pkill', 'curl', 'wget', 'nc']);

/**
 * An exec preStop runs inside the container (docs/reference/pod-termination.md#hook-facts): in a distroless or scratch
 * image `sleep` is "executable file not found" (zendesk/samson#2904); the hook fails, the kubelet
 * records FailedPreStopHook and stops the container at once, so the delay silently disappears.
 */
export const prestopBinaryMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-binary-missing',
    ruleOfUptime: 4,
    severity: 'error',
    looksAt: 'shutdown',
    summary: 'an exec preStop runs a binary that a shell-less (distroless, scratch) image does not have',
    fixable: true,
    messages: {
      binaryMissing:
        'preStop of "{{container}}" runs "{{binary}}", but {{image}} is shell-less (distroless/scratch): the hook fails with ' +
        '"executable file not found", the kubelet stops the container at once, and the preStop delay never happens',
    },
    fixes: {
      swapToSleepAction: 'use the sleep action, which the kubelet runs itself: lifecycle.preStop.sleep.seconds: {{seconds}}',
      useSleepAction: 'use lifecycle.preStop.sleep for the delay, and let the stop signal do the rest',
      drainInApp: 'this version has no sleep action (1.30+): delay shutdown in the app and annotate zerodrop.dev/in-app-drain: "true"',
    },
  },
  check: perContainer(longRunningContainers, (c, w, settings) => {
    const handler = preStopOf(c);
    const binary = handler && execBinary(handler);
    if (!handler || !binary || !imageIsShellless(c)) return undefined;
    const base = binary.slice(binary.lastIndexOf('/') + 1);
    if (!SHELL_TOOLS.has(base)) return undefined;
    const shape = classifyPreStop(handler);
    const sleepAction = featureAvailable('sleepAction', settings.kubernetesVersion);
    const path = [...preStopPath(c), 'exec', 'command'];
    const data = { container: c.name, binary, image: c.container.image ?? 'its image' };
    if (!sleepAction) return { path, messageId: 'binaryMissing', data, fixId: 'drainInApp' };
    if (shape.kind !== 'exec-sleep') return { path, messageId: 'binaryMissing', data, fixId: 'useSleepAction' };
    const seconds = Math.min(Math.max(1, Math.ceil(shape.seconds)), graceOf(w).seconds);
    return {
      path,
      messageId: 'binaryMissing',
      data: { ...data, seconds },
      fixId: 'swapToSleepAction',
      patch: containerPatch(w, c, { lifecycle: { preStop: { exec: null, sleep: { seconds } } } }),
    };
  }),
});

export default prestopBinaryMissing;
