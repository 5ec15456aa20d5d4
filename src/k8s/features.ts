/**
 * Which Kubernetes features a target version has on by default (docs/reference/feature-versions.md#feature-timeline, docs/reference/feature-versions.md).
 * An auditor only relies on what is on by default; alpha gates count as unavailable.
 */
export interface KubernetesVersion {
  major: number;
  minor: number;
  patch?: number;
}

export class KubernetesVersionError extends Error {}

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new KubernetesVersionError(`invalid Kubernetes version "${text}" (expected e.g. 1.33 or 1.35.4)`);
  const v: KubernetesVersion = { major: Number(m[1]), minor: Number(m[2]) };
  if (m[3] !== undefined) v.patch = Number(m[3]);
  return v;
}

export function formatVersion(v: KubernetesVersion): string {
  return v.patch === undefined ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

function atLeast(v: KubernetesVersion, minor: number, patch = 0): boolean {
  if (v.major !== 1) return v.major > 1;
  if (v.minor !== minor) return v.minor > minor;
  return (v.patch ?? 0) >= patch;
}

export type Feature =
  | 'sleepAction'
  | 'sleepActionAllowZero'
  | 'nativeSidecars'
  | 'containerStopSignals'
  | 'statefulSetMaxUnavailable'
  | 'daemonSetMaxSurge'
  | 'minReadySecondsStatefulSet'
  | 'probeTerminationGracePeriod';

export interface FeatureInfo {
  /** Field path a user writes to use it. */
  field: string;
  /** First minor version where it is on by default, or undefined when it is not on by default anywhere we know. */
  onByDefaultFrom?: string;
  /** Human summary with the source section. */
  note: string;
}

export const FEATURES: Readonly<Record<Feature, FeatureInfo>> = {
  sleepAction: {
    field: 'lifecycle.preStop.sleep',
    onByDefaultFrom: '1.30',
    note: 'PodLifecycleSleepAction: beta and on in 1.30, GA in 1.34 (https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/3960-pod-lifecycle-sleep-action)',
  },
  sleepActionAllowZero: {
    field: 'lifecycle.preStop.sleep.seconds: 0',
    onByDefaultFrom: '1.33',
    note: 'PodLifecycleSleepActionAllowZero: beta and on in 1.33, GA in 1.34 (https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4818-allow-zero-value-for-sleep-action-of-prestop-hook)',
  },
  nativeSidecars: {
    field: 'initContainers[].restartPolicy: Always',
    onByDefaultFrom: '1.29',
    note: 'SidecarContainers: beta and on in 1.29, GA in 1.33 (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/)',
  },
  containerStopSignals: {
    field: 'lifecycle.stopSignal',
    note: 'ContainerStopSignals: alpha (off) from 1.33, beta targeted at 1.37; absent before 1.33 (https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4960-container-stop-signals)',
  },
  statefulSetMaxUnavailable: {
    field: 'updateStrategy.rollingUpdate.maxUnavailable (StatefulSet)',
    note: 'MaxUnavailableStatefulSet: on only in 1.35.0–1.35.3, off again from 1.35.4 (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies)',
  },
  daemonSetMaxSurge: {
    field: 'updateStrategy.rollingUpdate.maxSurge (DaemonSet)',
    onByDefaultFrom: '1.22',
    note: 'DaemonSetUpdateSurge: GA 1.25 (https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/)',
  },
  minReadySecondsStatefulSet: {
    field: 'minReadySeconds (StatefulSet)',
    onByDefaultFrom: '1.23',
    note: 'StatefulSetMinReadySeconds: GA 1.25 (https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/)',
  },
  probeTerminationGracePeriod: {
    field: 'probe terminationGracePeriodSeconds',
    onByDefaultFrom: '1.25',
    note: 'ProbeTerminationGracePeriod: on from 1.25, GA 1.28 (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#probe-level-terminationgraceperiodseconds)',
  },
};

/** Whether the feature is on by default in the given version. */
export function featureAvailable(feature: Feature, version: KubernetesVersion): boolean {
  switch (feature) {
    case 'statefulSetMaxUnavailable':
      // On only in 1.35.0–1.35.3 (a regression turned it off in 1.35.4); on again from 1.37.
      if (version.major === 1 && version.minor === 35) return (version.patch ?? 0) <= 3 && version.patch !== undefined;
      return atLeast(version, 37);
    case 'containerStopSignals':
      return atLeast(version, 37);
    default: {
      const from = FEATURES[feature].onByDefaultFrom;
      if (!from) return false;
      return atLeast(version, Number(from.split('.')[1]));
    }
  }
}

export const DEFAULT_KUBERNETES_VERSION = '1.33';
