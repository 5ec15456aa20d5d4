import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { preStopPath, preStopShapeOf, seconds } from './support/drain.js';
import { perContainer } from './support/perContainer.js';
import { removalBudget } from './support/paths.js';

/**
 * A serving container's preStop runs a binary or an HTTP endpoint zerodrop does not know, so how
 * long the server keeps accepting after deletion is unknown. The other drain rules take such a
 * hook as a deliberate delay; this says, at info, that nothing in the files shows it is one
 * (docs/reference/pod-termination.md).
 */
export const prestopDelayUnknown = defineRule({
  target: 'workload',
  meta: {
    id: 'prestop-delay-unknown',
    ruleOfUptime: 4,
    severity: 'info',
    looksAt: 'shutdown',
    summary: 'the preStop hook runs something zerodrop does not know, so whether it delays the stop for endpoint removal is unknown',
    messages: {
      unknownHook:
        'preStop of "{{container}}" runs {{what}}: zerodrop does not know whether it keeps the server accepting for the {{propagation}} endpoint removal is assumed to take',
    },
    fixes: {
      checkHook:
        'make sure the hook waits about {{wait}} s before the server stops accepting (or returns only after that); if it does not, use lifecycle.preStop.sleep.seconds: {{wait}} and do its work in the stop-signal handler',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    const shape = preStopShapeOf(c, w);
    if (shape?.kind !== 'opaque' || shape.delay !== 'unknown') return undefined;
    // The slowest traffic path decides how long the hook must wait (docs/reference/traffic-paths.md#path-budgets).
    const budget = removalBudget(w, settings);
    return {
      path: preStopPath(c),
      messageId: 'unknownHook',
      data: { container: c.name, what: shape.what, propagation: seconds(budget.seconds), wait: Math.ceil(budget.seconds) },
      fixId: 'checkHook',
      ...(budget.path ? { trafficPath: budget.path } : {}),
    };
  }),
});

export default prestopDelayUnknown;
