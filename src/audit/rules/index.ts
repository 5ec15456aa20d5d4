/**
 * The rule registry: every rule file of this folder, imported once. A rule file default-exports
 * one Rule, or an array when one rule id checks several targets (a Dockerfile and the workload
 * that runs the image). Adding a rule = one import and one entry below.
 */
import type { Rule, RuleMeta } from '../types.js';
import agicConnectionDrainingMissing from './agic-connection-draining-missing.js';
import awsReadinessGateMissing from './aws-readiness-gate-missing.js';
import consulProxyExitsFirst from './consul-proxy-exits-first.js';
import corednsLameduckMissing from './coredns-lameduck-missing.js';
import daprSidecarExitsFirst from './dapr-sidecar-exits-first.js';
import daemonsetUpdateUnavailable from './daemonset-update-unavailable.js';
import deprecatedWorkloadApi from './deprecated-workload-api.js';
import dockerHealthcheckIgnored from './docker-healthcheck-ignored.js';
import dockerfileShellForm from './dockerfile-shell-form.js';
import dockerfileShellWrapper from './dockerfile-shell-wrapper.js';
import featureUnavailable from './feature-unavailable.js';
import gracePeriodExhausted from './grace-period-exhausted.js';
import hpaScaleTarget from './hpa-scale-target.js';
import ingressControllerShutdownUnsafe from './ingress-controller-shutdown-unsafe.js';
import istioDrainShorterThanApp from './istio-drain-shorter-than-app.js';
import kedaScalesServingToZero from './keda-scales-serving-to-zero.js';
import keepaliveShorterThanUpstream from './keepalive-shorter-than-upstream.js';
import lbConnectionTerminationCutsDrain from './lb-connection-termination-cuts-drain.js';
import livenessMirrorsReadiness from './liveness-mirrors-readiness.js';
import localTrafficPolicyDrops from './local-traffic-policy-drops.js';
import linkerdProxyRefusesDuringPrestop from './linkerd-proxy-refuses-during-prestop.js';
import livenessOutpacesReadiness from './liveness-outpaces-readiness.js';
import longLivedConnectionsOutlastGrace from './long-lived-connections-outlast-grace.js';
import meshStartupRace from './mesh-startup-race.js';
import minReadySecondsUnset from './min-ready-seconds-unset.js';
import negConnectionDrainingMissing from './neg-connection-draining-missing.js';
import pdbBlocksEviction from './pdb-blocks-eviction.js';
import pdbMissing from './pdb-missing.js';
import pid1SignalUnverified from './pid1-signal-unverified.js';
import podShellCommand from './pod-shell-command.js';
import prestopBinaryMissing from './prestop-binary-missing.js';
import prestopDelayUnknown from './prestop-delay-unknown.js';
import prestopDoesNotWait from './prestop-does-not-wait.js';
import prestopMissing from './prestop-missing.js';
import prestopPreferSleepAction from './prestop-prefer-sleep-action.js';
import prestopShorterThanPropagation from './prestop-shorter-than-propagation.js';
import probePortUndeclared from './probe-port-undeclared.js';
import probeTimeoutExceedsPeriod from './probe-timeout-exceeds-period.js';
import progressDeadlineTooShort from './progress-deadline-too-short.js';
import proxyRetriesDisabled from './proxy-retries-disabled.js';
import publishNotReadyAddresses from './publish-not-ready-addresses.js';
import readinessProbeMissing from './readiness-probe-missing.js';
import recreateStrategy from './recreate-strategy.js';
import rolloutSkewsTopologySpread from './rollout-skews-topology-spread.js';
import rolloutUnavailable from './rollout-unavailable.js';
import servicePortUnresolved from './service-port-unresolved.js';
import sidecarExitsFirst from './sidecar-exits-first.js';
import singleReplica from './single-replica.js';
import startupGuardedByInitialDelay from './startup-guarded-by-initial-delay.js';
import stopSignalMismatch from './stop-signal-mismatch.js';
import surgeBlockedByHostPort from './surge-blocked-by-host-port.js';
import surgeBlockedByPodAntiAffinity from './surge-blocked-by-pod-anti-affinity.js';
import surgeBlockedByRwoVolume from './surge-blocked-by-rwo-volume.js';
import surgeExceedsResourceQuota from './surge-exceeds-resource-quota.js';
import unknownField from './unknown-field.js';
import uwsgiSigtermReload from './uwsgi-sigterm-reload.js';
import phpFpmWorkersNotAwaited from './php-fpm-workers-not-awaited.js';
import serverDrainExceedsGrace from './server-drain-exceeds-grace.js';
import webhookSinglePod from './webhook-single-pod.js';
import knativeTimeoutShortensDrain from './knative-timeout-shortens-drain.js';
import knativeTimeoutCutsLongRequests from './knative-timeout-cuts-long-requests.js';
import knativeFieldRejected from './knative-field-rejected.js';
import knativeScalesToZero from './knative-scales-to-zero.js';
import statefulSetUpdateStrategy from './statefulset-update-strategy.js';
import hpaAggressiveScaleDown from './hpa-aggressive-scale-down.js';
import springShutdownImmediate from './spring-shutdown-immediate.js';
import springShutdownUnverified from './spring-shutdown-unverified.js';
import argoScaleDownDelayShorterThanPath from './argo-scale-down-delay-shorter-than-path.js';
import argoDynamicStableScaleWithAlb from './argo-dynamic-stable-scale-with-alb.js';
import deploymentConfigDeprecated from './deployment-config-deprecated.js';
import argoPreviewServiceSwitchedBeforeReady from './argo-preview-service-switched-before-ready.js';

const registered: Array<Rule | Rule[]> = [
  // Rule of Uptime 1: signals reach the app
  dockerfileShellForm,
  dockerfileShellWrapper,
  podShellCommand,
  pid1SignalUnverified,
  // Rule of Uptime 2: stop signal
  stopSignalMismatch,
  uwsgiSigtermReload,
  phpFpmWorkersNotAwaited,
  // Rule of Uptime 5: apps/v1
  deprecatedWorkloadApi,
  deploymentConfigDeprecated,
  // Rule of Uptime 3: probes
  livenessMirrorsReadiness,
  livenessOutpacesReadiness,
  probePortUndeclared,
  probeTimeoutExceedsPeriod,
  readinessProbeMissing,
  startupGuardedByInitialDelay,
  // Rule of Uptime 4: drain
  gracePeriodExhausted,
  hpaScaleTarget,
  prestopBinaryMissing,
  prestopDoesNotWait,
  prestopDelayUnknown,
  prestopMissing,
  prestopPreferSleepAction,
  prestopShorterThanPropagation,
  corednsLameduckMissing,
  ingressControllerShutdownUnsafe,
  proxyRetriesDisabled,
  longLivedConnectionsOutlastGrace,
  keepaliveShorterThanUpstream,
  serverDrainExceedsGrace,
  // Rule of Uptime 4: application frameworks' own shutdown (docs/reference/app-frameworks.md)
  springShutdownImmediate,
  springShutdownUnverified,
  // Rule of Uptime 4, per traffic path (docs/reference/traffic-paths.md)
  localTrafficPolicyDrops,
  lbConnectionTerminationCutsDrain,
  negConnectionDrainingMissing,
  agicConnectionDrainingMissing,
  argoScaleDownDelayShorterThanPath,
  argoDynamicStableScaleWithAlb,
  // Rule of Uptime 6: keep warm
  argoPreviewServiceSwitchedBeforeReady,
  awsReadinessGateMissing,
  daemonsetUpdateUnavailable,
  minReadySecondsUnset,
  pdbBlocksEviction,
  pdbMissing,
  progressDeadlineTooShort,
  kedaScalesServingToZero,
  recreateStrategy,
  rolloutSkewsTopologySpread,
  rolloutUnavailable,
  singleReplica,
  surgeBlockedByHostPort,
  surgeBlockedByPodAntiAffinity,
  surgeBlockedByRwoVolume,
  surgeExceedsResourceQuota,
  webhookSinglePod,
  // Rule of Uptime 7: sidecars
  sidecarExitsFirst,
  istioDrainShorterThanApp,
  linkerdProxyRefusesDuringPrestop,
  consulProxyExitsFirst,
  daprSidecarExitsFirst,
  meshStartupRace,
  // Wiring and version
  dockerHealthcheckIgnored,
  featureUnavailable,
  publishNotReadyAddresses,
  servicePortUnresolved,
  unknownField,
  // Knative revisions, StatefulSet updates and HPA scale-in (docs/reference/knative.md, docs/reference/autoscaling.md)
  knativeTimeoutShortensDrain,
  knativeTimeoutCutsLongRequests,
  knativeScalesToZero,
  knativeFieldRejected,
  statefulSetUpdateStrategy,
  hpaAggressiveScaleDown,
];

export const allRules: readonly Rule[] = registered.flat();

/** Every Rule object with this id (a rule id may check several targets). */
export function ruleById(id: string): Rule[] {
  return allRules.filter((r) => r.meta.id === id);
}

/** One meta per rule id, ordered by Rule of Uptime (wiring last), then id. */
export function ruleMetas(): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const r of allRules) if (!byId.has(r.meta.id)) byId.set(r.meta.id, r.meta);
  // Code-unit order, not localeCompare: ids are ASCII, and ICU's collator costs a CLI start a tenth of bare Node's.
  return [...byId.values()].sort((a, b) => (a.ruleOfUptime ?? 99) - (b.ruleOfUptime ?? 99) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
