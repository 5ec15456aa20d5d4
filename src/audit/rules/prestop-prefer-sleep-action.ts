export { isPureSleep } from './support/sleep.js';
import { featureAvailable, formatVersion } from '../../k8s/features.js';
import { classifyPreStop } from '../../k8s/preStop.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, imageIsShellless, preStopOf, preStopPath, seconds } from './support/drain.js';
import { containerPatch } from './support/patches.js';
import { perContainer } from './support/perContainer.js';
import { removalBudget } from './support/paths.js';
import { isPureSleep, shortPreStop } from './support/sleep.js';
import { drainingContainers, longRunningContainers } from './support/containers.js';

/**
 * From 1.30 the kubelet runs `lifecycle.preStop.sleep` itself (docs/reference/feature-versions.md#sleep-action): no sleep binary or shell is
 * needed in the image, and the delay cannot fail with "executable file not found".
 */
export const prestopPreferSleepAction = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-prefer-sleep-action',
    ruleOfUptime: 4,
    severity: 'info',
    looksAt: 'shutdown',
    summary: 'an exec sleep preStop can be the built-in sleep action on this Kubernetes version',
    fixable: true,
    messages: {
      execSleep:
        'preStop of "{{container}}" execs "{{command}}" ({{duration}}) inside the container; Kubernetes {{kubernetesVersion}} ' +
        'has the sleep action (on since 1.30, https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/3960-pod-lifecycle-sleep-action), which the kubelet runs itself: no sleep binary or shell needed in the image',
    },
    fixes: {
      useSleepAction: 'replace exec with lifecycle.preStop.sleep.seconds: {{seconds}}',
    },
  },
  check: perContainer(
    (w, settings) => (featureAvailable('sleepAction', settings.kubernetesVersion) ? longRunningContainers(w) : []),
    (c, w, settings) => {
      const handler = preStopOf(c);
      if (!handler) return undefined;
      const shape = classifyPreStop(handler);
      if (shape.kind !== 'exec-sleep' || !isPureSleep(shape.command) || imageIsShellless(c)) return undefined;
      // The drain rules rewrite a sleep shorter than the slowest path, as the sleep action: one fix, not two that collide.
      if (drainingContainers(w).includes(c) && shortPreStop(c, w, removalBudget(w, settings).seconds, settings)) return undefined;
      // sleep.seconds is an integer and must not exceed the grace period (docs/reference/pod-termination.md#grace-period validation).
      const whole = Math.min(Math.max(1, Math.ceil(shape.seconds)), graceOf(w).seconds);
      return {
        path: [...preStopPath(c), 'exec'],
        messageId: 'execSleep',
        data: {
          container: c.name,
          command: shape.command.join(' '),
          duration: seconds(shape.seconds),
          kubernetesVersion: formatVersion(settings.kubernetesVersion),
          seconds: whole,
        },
        fixId: 'useSleepAction',
        patch: containerPatch(w, c, { lifecycle: { preStop: { exec: null, sleep: { seconds: whole } } } }),
      };
    },
  ),
});

export default prestopPreferSleepAction;
