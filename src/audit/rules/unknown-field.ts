/**
 * Wiring: a misspelt field (`readynessProbe`, `prestop`, `maxUnavaliable`) is dropped by the API
 * server when the client does not ask for strict field validation (Helm, controllers, older
 * kubectl, --validate=false), so the safety it was meant to add silently disappears. We check
 * the fields that carry zero-downtime safety: pod spec, containers, probes, lifecycle and the
 * rollout strategy (docs/reference/probes.md, docs/reference/workload-updates.md, docs/reference/feature-versions.md name the fields).
 */
import type { RuleResult, YamlPath } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { patchAt } from '../patch.js';
import { didYouMean } from '../didYouMean.js';

const HTTP_GET = ['host', 'httpHeaders', 'path', 'port', 'scheme'];
const HANDLER = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBE = [...HANDLER, 'failureThreshold', 'initialDelaySeconds', 'periodSeconds', 'successThreshold', 'terminationGracePeriodSeconds', 'timeoutSeconds'];
const LIFECYCLE_HANDLER = ['exec', 'httpGet', 'sleep', 'tcpSocket'];
const CONTAINER = [
  'args',
  'command',
  'env',
  'envFrom',
  'image',
  'imagePullPolicy',
  'lifecycle',
  'livenessProbe',
  'name',
  'ports',
  'readinessProbe',
  'resizePolicy',
  'resources',
  'restartPolicy',
  'restartPolicyRules',
  'securityContext',
  'startupProbe',
  'stdin',
  'stdinOnce',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'tty',
  'volumeDevices',
  'volumeMounts',
  'workingDir',
];
const POD_SPEC = [
  'activeDeadlineSeconds',
  'affinity',
  'automountServiceAccountToken',
  'containers',
  'dnsConfig',
  'dnsPolicy',
  'enableServiceLinks',
  'ephemeralContainers',
  'hostAliases',
  'hostIPC',
  'hostNetwork',
  'hostPID',
  'hostUsers',
  'hostname',
  'hostnameOverride',
  'imagePullSecrets',
  'initContainers',
  'nodeName',
  'nodeSelector',
  'os',
  'overhead',
  'preemptionPolicy',
  'priority',
  'priorityClassName',
  'readinessGates',
  'resourceClaims',
  'resources',
  'restartPolicy',
  'runtimeClassName',
  'schedulerName',
  'schedulingGates',
  'securityContext',
  'serviceAccount',
  'serviceAccountName',
  'setHostnameAsFQDN',
  'shareProcessNamespace',
  'subdomain',
  'terminationGracePeriodSeconds',
  'tolerations',
  'topologySpreadConstraints',
  'volumes',
];
const WORKLOAD_SPEC: Readonly<Record<string, string[]>> = {
  Deployment: ['minReadySeconds', 'paused', 'progressDeadlineSeconds', 'replicas', 'revisionHistoryLimit', 'rollbackTo', 'selector', 'strategy', 'template'],
  StatefulSet: [
    'minReadySeconds',
    'ordinals',
    'persistentVolumeClaimRetentionPolicy',
    'podManagementPolicy',
    'replicas',
    'revisionHistoryLimit',
    'selector',
    'serviceName',
    'template',
    'updateStrategy',
    'volumeClaimTemplates',
  ],
  DaemonSet: ['minReadySeconds', 'revisionHistoryLimit', 'selector', 'template', 'templateGeneration', 'updateStrategy'],
  // argo-rollouts pkg/apis/rollouts/v1alpha1/types.go RolloutSpec; its CRD schema is structural, so the API server prunes unknown fields.
  Rollout: [
    'analysis',
    'minReadySeconds',
    'paused',
    'progressDeadlineAbort',
    'progressDeadlineSeconds',
    'replicas',
    'restartAt',
    'revisionHistoryLimit',
    'rollbackWindow',
    'selector',
    'strategy',
    'template',
    'workloadRef',
  ],
  // openshift/api apps/v1/types.go DeploymentConfigSpec.
  DeploymentConfig: ['minReadySeconds', 'paused', 'replicas', 'revisionHistoryLimit', 'selector', 'strategy', 'template', 'test', 'triggers'],
};
/** The strategy blocks of the custom kinds, by key: what each may hold (the same types.go structs). */
const OWN_STRATEGY: Readonly<Record<string, { fields: string[]; blocks: Readonly<Record<string, string[]>> }>> = {
  Rollout: {
    fields: ['blueGreen', 'canary'],
    blocks: {
      blueGreen: [
        'abortScaleDownDelaySeconds',
        'activeMetadata',
        'activeService',
        'antiAffinity',
        'autoPromotionEnabled',
        'autoPromotionSeconds',
        'maxUnavailable',
        'postPromotionAnalysis',
        'prePromotionAnalysis',
        'previewMetadata',
        'previewReplicaCount',
        'previewService',
        'scaleDownDelayRevisionLimit',
        'scaleDownDelaySeconds',
      ],
      canary: [
        'abortScaleDownDelaySeconds',
        'analysis',
        'antiAffinity',
        'canaryMetadata',
        'canaryService',
        'dynamicStableScale',
        'maxSurge',
        'maxUnavailable',
        'minPodsPerReplicaSet',
        'pingPong',
        'replicaProgressThreshold',
        'scaleDownDelayRevisionLimit',
        'scaleDownDelaySeconds',
        'stableMetadata',
        'stableService',
        'steps',
        'trafficRouting',
      ],
    },
  },
  DeploymentConfig: {
    fields: ['activeDeadlineSeconds', 'annotations', 'customParams', 'labels', 'recreateParams', 'resources', 'rollingParams', 'type'],
    blocks: { rollingParams: ['intervalSeconds', 'maxSurge', 'maxUnavailable', 'post', 'pre', 'timeoutSeconds', 'updatePeriodSeconds'] },
  },
};
const STRATEGY = ['type', 'rollingUpdate'];
const ROLLING_UPDATE: Readonly<Record<string, string[]>> = {
  Deployment: ['maxSurge', 'maxUnavailable'],
  StatefulSet: ['maxUnavailable', 'partition'],
  DaemonSet: ['maxSurge', 'maxUnavailable'],
};

const DROPPED = 'the API server drops unknown fields unless the client validates strictly, so this setting silently has no effect';

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const rule = defineRule({
  target: 'workload',
  meta: {
    id: 'unknown-field',
    ruleOfUptime: null,
    severity: 'error',
    looksAt: 'api',
    summary: 'misspelt field in pod spec, container, probe, lifecycle or strategy (the API server drops it silently)',
    fixable: true,
    messages: {
      misspelt: `unknown field "{{key}}" in {{where}} (did you mean "{{suggestion}}"?): ${DROPPED}`,
      unknown: `unknown field "{{key}}" in {{where}}: ${DROPPED}`,
    },
    fixes: {
      rename: 'rename "{{key}}" to "{{suggestion}}"',
      removeOrMove: 'remove "{{key}}" or move it where it belongs',
    },
  },
  check(w) {
    const out: RuleResult<'misspelt' | 'unknown', 'rename' | 'removeOrMove'>[] = [];
    const check = (value: unknown, path: YamlPath, known: readonly string[], what: string, container?: string) => {
      if (!isRecord(value)) return;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const suggestion = didYouMean(key, known);
        const r: (typeof out)[number] = suggestion
          ? { path: [...path, key], messageId: 'misspelt', data: { key, where: what, suggestion }, fixId: 'rename' }
          : { path: [...path, key], messageId: 'unknown', data: { key, where: what }, fixId: 'removeOrMove' };
        if (container !== undefined) r.container = container;
        if (suggestion && value[suggestion] === undefined) {
          try {
            r.patch = patchAt(w.object, path, { [suggestion]: value[key], [key]: null });
          } catch {
            // a list item without a name cannot be patched by key; the text fix still applies
          }
        }
        out.push(r);
      }
    };
    const spec = w.object.spec;
    const specKeys = WORKLOAD_SPEC[w.kind];
    if (specKeys && isRecord(spec)) {
      check(spec, ['spec'], specKeys, `${w.kind} spec`);
      const own = OWN_STRATEGY[w.kind];
      if (own) {
        const strategy = spec.strategy;
        check(strategy, ['spec', 'strategy'], own.fields, 'strategy');
        if (isRecord(strategy))
          for (const [block, fields] of Object.entries(own.blocks)) check(strategy[block], ['spec', 'strategy', block], fields, `strategy.${block}`);
      } else {
        const strategyKey = w.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
        const strategy = spec[strategyKey];
        check(strategy, ['spec', strategyKey], STRATEGY, strategyKey);
        if (isRecord(strategy)) check(strategy.rollingUpdate, ['spec', strategyKey, 'rollingUpdate'], ROLLING_UPDATE[w.kind] ?? [], 'rollingUpdate');
      }
    }
    check(w.podSpec, w.podSpecPath, POD_SPEC, 'pod spec');
    for (const c of w.containers) {
      const cv = c.container;
      check(cv, c.path, CONTAINER, `container ${c.name}`, c.name);
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
        const p = cv[probe];
        check(p, [...c.path, probe], PROBE, `${probe} of ${c.name}`, c.name);
        if (isRecord(p)) check(p.httpGet, [...c.path, probe, 'httpGet'], HTTP_GET, `${probe}.httpGet of ${c.name}`, c.name);
      }
      const lc = cv.lifecycle;
      check(lc, [...c.path, 'lifecycle'], ['postStart', 'preStop', 'stopSignal'], `lifecycle of ${c.name}`, c.name);
      if (isRecord(lc))
        for (const hook of ['preStop', 'postStart'] as const) {
          check(lc[hook], [...c.path, 'lifecycle', hook], LIFECYCLE_HANDLER, `lifecycle.${hook} of ${c.name}`, c.name);
          const h = lc[hook];
          if (isRecord(h)) {
            check(h.httpGet, [...c.path, 'lifecycle', hook, 'httpGet'], HTTP_GET, `lifecycle.${hook}.httpGet of ${c.name}`, c.name);
            check(h.sleep, [...c.path, 'lifecycle', hook, 'sleep'], ['seconds'], `lifecycle.${hook}.sleep of ${c.name}`, c.name);
            check(h.exec, [...c.path, 'lifecycle', hook, 'exec'], ['command'], `lifecycle.${hook}.exec of ${c.name}`, c.name);
          }
        }
    }
    return out;
  },
});
export default rule;
