import { deploymentConfig, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// OpenShift Container Platform 4.14 deprecated DeploymentConfig (docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig).
testRule('deployment-config-deprecated', {
  valid: [
    { name: 'a Deployment', text: manifests() },
    { name: 'a DeploymentConfig kind of another API group is not read', text: manifests({ kind: 'DeploymentConfig', apiVersion: 'example.com/v1' }) },
  ],
  invalid: [
    { name: 'apps.openshift.io/v1', text: deploymentConfig(undefined), findings: [{ messageId: 'deprecated', line: 13, fixId: 'migrate' }] },
    {
      name: 'the legacy v1 (OpenShift 3 /oapi) DeploymentConfig',
      text: deploymentConfig({ type: 'Rolling' }, { apiVersion: 'v1' }),
      findings: [{ messageId: 'deprecated', fixId: 'migrate' }],
    },
  ],
});
