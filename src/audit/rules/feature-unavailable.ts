import { FEATURES, featureAvailable, formatVersion, type Feature } from '../../k8s/features.js';
import type { RuleResult, YamlPath } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { PROBE_FIELDS } from './support/probes.js';

/** What happens when the target cluster lacks the feature. */
const CONSEQUENCE: Readonly<Record<Feature, string>> = {
  sleepAction: 'the API server rejects the hook or drops the field, and the preStop delay is gone',
  sleepActionAllowZero: 'the API server rejects the pod ("must be greater than 0")',
  nativeSidecars: 'restartPolicy is rejected or dropped, and a sidecar that never exits blocks the pod in Init forever',
  containerStopSignals: 'the alpha gate is off, the field is dropped and the container gets the image STOPSIGNAL or SIGTERM instead',
  statefulSetMaxUnavailable: 'the field is inert: the StatefulSet still updates one pod at a time',
  daemonSetMaxSurge: 'the field is inert: each node loses its pod during the update',
  minReadySecondsStatefulSet: 'the field is dropped: pods count as available at first readiness',
  probeTerminationGracePeriod: 'the field is dropped: probe-triggered kills use the pod grace period',
};

/** One message per feature, written from the feature table: only the target version varies. */
const MESSAGES = Object.fromEntries(
  (Object.keys(FEATURES) as Feature[]).map((feature) => {
    const info = FEATURES[feature];
    const from = info.onByDefaultFrom ? `on by default from ${info.onByDefaultFrom}` : 'not on by default in any released version we know';
    return [feature, `${info.field} is not available in Kubernetes {{version}} (${from}; ${info.note}): ${CONSEQUENCE[feature]}`];
  }),
) as Record<Feature, string>;

/**
 * Fields the target Kubernetes version lacks or keeps behind an alpha gate (kubernetes-semantics
 * docs/reference/feature-versions.md#feature-timeline, docs/reference/workload-updates.md#statefulset, docs/reference/feature-versions.md#sleep-action, docs/reference/feature-versions.md#zero-sleep, docs/reference/feature-versions.md#native-sidecars, docs/reference/feature-versions.md#custom-stop-signal): an auditor relies only on what is on by default.
 */
export const featureUnavailable = defineRule({
  target: 'workload',
  meta: {
    id: 'feature-unavailable',
    ruleOfUptime: null,
    severity: 'warning',
    looksAt: 'api',
    summary: 'a field needs a feature the target Kubernetes version does not have on by default',
    messages: MESSAGES,
    fixes: {
      raiseVersionOrAvoid: 'raise --kubernetes-version if the cluster is newer, or avoid {{field}}',
    },
  },
  check(w, settings) {
    const version = settings.kubernetesVersion;
    const results: RuleResult<Feature, 'raiseVersionOrAvoid'>[] = [];
    const flag = (feature: Feature, path: YamlPath, container?: string) => {
      if (featureAvailable(feature, version)) return;
      results.push({
        path,
        ...(container !== undefined ? { container } : {}),
        messageId: feature,
        data: { version: formatVersion(version), field: FEATURES[feature].field },
        fixId: 'raiseVersionOrAvoid',
      });
    };
    for (const c of w.containers) {
      const lifecycle = c.container.lifecycle as Record<string, { sleep?: { seconds?: unknown } } | undefined> | undefined;
      for (const hook of ['preStop', 'postStart']) {
        const sleep = lifecycle?.[hook]?.sleep;
        if (!sleep) continue;
        if (!featureAvailable('sleepAction', version)) flag('sleepAction', [...c.path, 'lifecycle', hook, 'sleep'], c.name);
        else if (sleep.seconds === 0) flag('sleepActionAllowZero', [...c.path, 'lifecycle', hook, 'sleep', 'seconds'], c.name);
      }
      if (c.container.lifecycle?.stopSignal !== undefined) flag('containerStopSignals', [...c.path, 'lifecycle', 'stopSignal'], c.name);
      if (c.role === 'native-sidecar') flag('nativeSidecars', [...c.path, 'restartPolicy'], c.name);
      for (const { field } of PROBE_FIELDS) {
        const probe = c.container[field];
        if (field !== 'readinessProbe' && probe && probe.terminationGracePeriodSeconds !== undefined)
          flag('probeTerminationGracePeriod', [...c.path, field, 'terminationGracePeriodSeconds'], c.name);
      }
    }
    const spec = (w.object.spec ?? {}) as { updateStrategy?: { rollingUpdate?: { maxUnavailable?: unknown; maxSurge?: unknown } }; minReadySeconds?: unknown };
    if (w.kind === 'StatefulSet') {
      if (spec.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined)
        flag('statefulSetMaxUnavailable', ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable']);
      if (spec.minReadySeconds !== undefined) flag('minReadySecondsStatefulSet', ['spec', 'minReadySeconds']);
    }
    if (w.kind === 'DaemonSet' && spec.updateStrategy?.rollingUpdate?.maxSurge !== undefined)
      flag('daemonSetMaxSurge', ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge']);
    return results;
  },
});

export default featureUnavailable;
