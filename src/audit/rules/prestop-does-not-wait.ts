import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { preStopPath, preStopShapeOf, seconds } from './support/drain.js';
import { perContainer } from './support/perContainer.js';

/**
 * The kubelet sends the stop signal as soon as the preStop hook returns (docs/reference/pod-termination.md#per-container-kill). A hook that
 * only signals the server (`nginx -s quit`, `kill -QUIT 1`) returns at once, so it provides no delay
 * for endpoint removal (kubernetes/website#1414).
 */
export const prestopDoesNotWait = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-does-not-wait',
    ruleOfUptime: 4,
    severity: 'error',
    looksAt: 'shutdown',
    summary: 'the preStop hook signals the server and returns at once, so nothing waits for endpoint removal',
    messages: {
      signalsAndReturns:
        'preStop of "{{container}}" runs "{{command}}": {{what}} at once, and the kubelet sends the stop signal as soon as the hook returns (https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-execution), ' +
        'so nothing waits the {{propagation}} endpoint removal is assumed to take and requests keep arriving while the server shuts down',
      stopsServerFirst:
        'preStop of "{{container}}" runs "{{command}}": {{what}}, so new connections are refused during the {{propagation}} endpoint removal is assumed to take, while load balancers still route to the pod',
    },
    fixes: {
      sleepFirst:
        'sleep first (lifecycle.preStop.sleep.seconds: {{wait}}) and let the image\'s STOPSIGNAL do the graceful stop, or sleep in the hook: sh -c "sleep {{wait}}; {{script}}"',
      shutdownGracePeriod:
        'give the controller --shutdown-grace-period={{wait}}s (it keeps nginx serving that long after SIGTERM) and keep /wait-shutdown; terminationGracePeriodSeconds must cover it plus the drain',
      kongWait:
        'add --wait {{wait}} to kong quit (Kong keeps serving that long before it quits nginx), or sleep first: lifecycle.preStop.sleep.seconds: {{wait}}',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    const shape = preStopShapeOf(c, w);
    const path = [...preStopPath(c), 'exec', 'command'];
    const common = { container: c.name, propagation: seconds(settings.propagationSeconds), wait: Math.ceil(settings.propagationSeconds) };
    if (shape?.kind === 'stops-server-first') {
      return { path, messageId: 'stopsServerFirst', data: { ...common, command: shape.command.join(' '), what: shape.what }, fixId: shape.fix };
    }
    if (shape?.kind !== 'signal-and-return') return undefined;
    const script =
      /(^|\/)(sh|bash|ash|dash)$/.test(shape.command[0] ?? '') && shape.command[1] === '-c' ? shape.command.slice(2).join(' ') : shape.command.join(' ');
    return {
      path,
      messageId: 'signalsAndReturns',
      data: { ...common, command: shape.command.join(' '), what: shape.what, script },
      fixId: 'sleepFirst',
    };
  }),
});

export default prestopDoesNotWait;
