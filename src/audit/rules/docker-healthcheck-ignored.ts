/**
 * Wiring: Kubernetes does not run a Dockerfile HEALTHCHECK; only readiness/liveness/startup
 * probes in the pod spec count (docs/reference/probes.md). A HEALTHCHECK gives a false sense that
 * the app is checked.
 */
import { defineRule } from './support/defineRule.js';

const rule = defineRule({
  target: 'dockerfile',
  meta: {
    id: 'docker-healthcheck-ignored',
    ruleOfUptime: null,
    severity: 'info',
    looksAt: 'images',
    summary: 'Kubernetes ignores Dockerfile HEALTHCHECK; only pod probes gate traffic',
    messages: {
      ignored: 'HEALTHCHECK is ignored by Kubernetes: the kubelet runs only the probes in the pod spec, so this check never takes a pod out of its Service',
    },
    fixes: {
      useProbes: 'express the same check as a readinessProbe (and, if restarts help, a slower livenessProbe) on the container',
    },
  },
  check(view) {
    return view.instructions
      .filter((i) => i.keyword === 'HEALTHCHECK' && !/^\s*NONE\s*$/i.test(i.raw))
      .map((instruction) => ({ instruction, messageId: 'ignored', fixId: 'useProbes' }));
  },
});
export default rule;
