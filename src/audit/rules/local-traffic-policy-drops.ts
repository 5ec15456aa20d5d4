import { isLiteralZero } from '../../k8s/intOrPercent.js';
import { drainingContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { seconds } from './support/drain.js';
import { perContainer } from './support/perContainer.js';
import { describeRemoval, removalBudget } from './support/paths.js';
import { daemonSetRollout } from './support/rollout.js';
import { shortPreStop } from './support/sleep.js';

/**
 * `externalTrafficPolicy: Local`: the load balancer sends to nodes, and stops sending to a node
 * only when its health check on `healthCheckNodePort` fails, which starts once the node has no
 * ready local endpoint left and takes interval × unhealthy threshold. kube-proxy keeps routing to
 * a terminating pod that still serves meanwhile (KEP-1669), so the pod must keep serving at least
 * that long (https://github.com/kubernetes/enhancements/blob/master/keps/sig-network/1669-proxy-terminating-endpoints/README.md,
 * docs/reference/traffic-paths.md#path-budgets). This rule owns the preStop check when the node-local path is the slowest one.
 */
export const localTrafficPolicyDrops = defineRule({
  target: 'workload',
  meta: {
    id: 'local-traffic-policy-drops',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'traffic',
    summary: "externalTrafficPolicy: Local: the preStop ends before the load balancer's node health check has failed",
    fixable: true,
    messages: {
      shorterThanHealthCheck:
        'preStop of "{{container}}" sleeps {{preStop}} but {{path}}: the load balancer keeps sending to the node for {{gap}} after the pod stops serving, ' +
        'and the node has nowhere else to send them',
      daemonSetShorterThanHealthCheck:
        'preStop of "{{container}}" sleeps {{preStop}} but {{path}}: this DaemonSet updates with maxSurge 0, so its pod is the only local one on the node, ' +
        'and for {{gap}} after it stops serving the load balancer still sends to a node that drops them',
    },
    fixes: {
      sleepPastHealthCheck:
        'sleep at least {{wanted}} s in preStop (the health-check interval × unhealthy threshold), with the grace period above it plus the drain',
    },
  },
  check: perContainer(drainingContainers, (c, w, settings) => {
    const budget = removalBudget(w, settings);
    if (budget.path?.kind !== 'node-local') return undefined;
    const short = shortPreStop(c, w, budget.seconds, settings);
    if (!short) return undefined;
    const onlyLocalPod =
      w.kind === 'DaemonSet' &&
      (() => {
        const r = daemonSetRollout(w.object);
        return r.type === 'RollingUpdate' && isLiteralZero(r.maxSurge);
      })();
    return {
      path: short.at,
      messageId: onlyLocalPod ? 'daemonSetShorterThanHealthCheck' : 'shorterThanHealthCheck',
      data: {
        container: c.name,
        preStop: seconds(short.preStop),
        path: describeRemoval(budget.path),
        gap: seconds(budget.seconds - short.preStop),
        wanted: short.wanted,
      },
      fixId: 'sleepPastHealthCheck',
      patch: short.patch,
      trafficPath: budget.path,
    };
  }),
});

export default localTrafficPolicyDrops;
