/**
 * Rule of Uptime 5: use apps/v1. extensions/v1beta1, apps/v1beta1 and apps/v1beta2 workloads are
 * no longer served (removed in 1.16), and migrating changes defaults: extensions/v1beta1
 * Deployments defaulted maxUnavailable 1 / maxSurge 1 and had no progress deadline
 * (docs/reference/workload-updates.md#defaults-by-api-version, kubernetes/kubernetes PR 39683).
 */
import { DEPRECATED_WORKLOAD_APIS, defaultChangesOnMigration } from '../../k8s/apiDefaults.js';
import { defineRule } from './support/defineRule.js';
import { specOf } from './support/fields.js';

const rule = defineRule({
  target: 'object',
  kinds: ['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController'],
  meta: {
    id: 'deprecated-workload-api',
    ruleOfUptime: 5,
    severity: 'error',
    looksAt: 'api',
    summary: 'workload uses an API removed in 1.16 (defaults change on migration), or is a ReplicationController, which never rolls its pods',
    messages: {
      removed: '{{kind}} uses {{apiVersion}}, which Kubernetes stopped serving in {{removedIn}}',
      noRollingUpdate:
        'ReplicationController has no rolling update in the API server: changing its template (a new image) does not replace the running pods, ' +
        'and kubectl rolling-update, which replaced them from the client, is gone since kubectl 1.18; pods change only when they are deleted, ' +
        'all at once unless done one by one by hand (https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/)',
      removedAndDefaultsChange:
        '{{kind}} uses {{apiVersion}}, which Kubernetes stopped serving in {{removedIn}}; moving to {{replacement}} changes defaults you rely on: {{changes}}',
    },
    fixes: {
      setApiVersion: 'set apiVersion: {{replacement}}',
      useDeployment:
        'replace it with an apps/v1 Deployment with the same template and spec.selector.matchLabels set to its selector; the Deployment rolls every template change',
      setApiVersionAndSelector: 'set apiVersion: {{replacement}} and add spec.selector (required in apps/v1)',
      setApiVersionAndDefaults: 'set apiVersion: {{replacement}}, and set explicitly what you want: {{fields}}',
      setApiVersionSelectorAndDefaults:
        'set apiVersion: {{replacement}} and add spec.selector (required in apps/v1), and set explicitly what you want: {{fields}}',
    },
  },
  check(view) {
    if (view.kind === 'ReplicationController') return [{ path: ['kind'], messageId: 'noRollingUpdate', fixId: 'useDeployment' }];
    const dep = DEPRECATED_WORKLOAD_APIS[view.apiVersion];
    if (!dep) return [];
    const changes = view.kind === 'Deployment' ? defaultChangesOnMigration(view.apiVersion) : [];
    const spec = specOf(view);
    const strategy = (spec.strategy ?? {}) as Record<string, unknown>;
    const ru = (strategy.rollingUpdate ?? {}) as Record<string, unknown>;
    const relied = changes.filter((c) => {
      if (c.startsWith('maxUnavailable')) return ru.maxUnavailable === undefined;
      if (c.startsWith('maxSurge')) return ru.maxSurge === undefined;
      if (c.startsWith('revisionHistoryLimit')) return spec.revisionHistoryLimit === undefined;
      if (c.startsWith('progressDeadlineSeconds')) return spec.progressDeadlineSeconds === undefined;
      return true;
    });
    const needsSelector = view.kind !== 'Pod' && spec.selector === undefined;
    const defaults = relied.length > 0;
    return [
      {
        path: ['apiVersion'],
        messageId: defaults ? 'removedAndDefaultsChange' : 'removed',
        data: {
          kind: view.kind,
          apiVersion: view.apiVersion,
          removedIn: dep.removedIn,
          replacement: dep.replacement,
          changes: relied.join(', '),
          fields: relied.map((c) => c.split(' ')[0]).join(', '),
        },
        fixId: needsSelector
          ? defaults
            ? 'setApiVersionSelectorAndDefaults'
            : 'setApiVersionAndSelector'
          : defaults
            ? 'setApiVersionAndDefaults'
            : 'setApiVersion',
      },
    ];
  },
});
export default rule;
