import { defineRule } from './support/defineRule.js';

/**
 * OpenShift deprecated `DeploymentConfig` in 4.14: still served, security and critical fixes only
 * (docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig). Migrating is not a
 * rename: the fields and defaults that decide a rollout change, so the message lists them.
 */
export const deploymentConfigDeprecated = defineRule({
  target: 'workload',
  meta: {
    id: 'deployment-config-deprecated',
    ruleOfUptime: 5,
    severity: 'info',
    looksAt: 'controllers',
    summary: 'DeploymentConfig is deprecated since OpenShift 4.14; a Deployment does the same with other fields and defaults',
    messages: {
      deprecated:
        'DeploymentConfig is deprecated since OpenShift Container Platform 4.14 (still served, security and critical fixes only, ' +
        'https://docs.redhat.com/en/documentation/openshift_container_platform/4.22/html/building_applications/deployments)',
    },
    fixes: {
      migrate:
        'migrate to an apps/v1 Deployment: spec.selector becomes matchLabels, strategy Rolling becomes RollingUpdate with rollingParams.maxSurge/maxUnavailable under rollingUpdate (defaults stay 25%/25%), ' +
        'rollingParams.timeoutSeconds becomes progressDeadlineSeconds (which only reports, it does not roll back), an unset replicas becomes 1 instead of 0, ' +
        'and triggers, lifecycle hooks (pre/mid/post) and test have no equivalent (image triggers: the image.openshift.io/triggers annotation)',
    },
  },
  check(w) {
    if (w.kind !== 'DeploymentConfig') return [];
    return [{ path: ['kind'], messageId: 'deprecated', fixId: 'migrate' }];
  },
});

export default deploymentConfigDeprecated;
