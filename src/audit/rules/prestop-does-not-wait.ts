import { classifyPreStop } from '../../k8s/preStop.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { preStopOf, preStopPath, seconds } from './support/drain.js';
import { perContainer } from './support/perContainer.js';

/**
 * The kubelet sends the stop signal as soon as the preStop hook returns (§1.2 step 4). A hook that
 * only signals the server (`nginx -s quit`, `kill -QUIT 1`) returns at once, so it provides no delay
 * for endpoint removal (kubernetes/website#1414).
 */
export const prestopDoesNotWait = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-does-not-wait',
    ruleOfUptime: 4,
    severity: 'error',
    summary: 'the preStop hook signals the server and returns at once, so nothing waits for endpoint removal',
    messages: {
      signalsAndReturns:
        'preStop of "{{container}}" runs "{{command}}": {{what}} at once, and the kubelet sends the stop signal as soon as the hook returns (§1.2), ' +
        'so nothing waits the {{propagation}} endpoint removal is assumed to take and requests keep arriving while the server shuts down',
    },
    fixes: {
      sleepFirst:
        'sleep first (lifecycle.preStop.sleep.seconds: {{wait}}) and let the image\'s STOPSIGNAL do the graceful stop, or sleep in the hook: sh -c "sleep {{wait}}; {{script}}"',
    },
  },
  check: perContainer(drainingContainers, (c, _w, settings) => {
    const handler = preStopOf(c);
    if (!handler) return undefined;
    const shape = classifyPreStop(handler);
    if (shape.kind !== 'signal-and-return') return undefined;
    const script =
      /(^|\/)(sh|bash|ash|dash)$/.test(shape.command[0] ?? '') && shape.command[1] === '-c' ? shape.command.slice(2).join(' ') : shape.command.join(' ');
    return {
      path: [...preStopPath(c), 'exec', 'command'],
      messageId: 'signalsAndReturns',
      data: {
        container: c.name,
        command: shape.command.join(' '),
        what: shape.what,
        propagation: seconds(settings.propagationSeconds),
        wait: Math.ceil(settings.propagationSeconds),
        script,
      },
      fixId: 'sleepFirst',
    };
  }),
});

export default prestopDoesNotWait;
