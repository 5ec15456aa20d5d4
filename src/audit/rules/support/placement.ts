/**
 * Scheduling constraints that count a workload's own pods: the scheduler evaluates them over every
 * pod the selector matches, the old ReplicaSet's and the new one's alike, unless `matchLabelKeys`
 * adds the revision label (Deployments: `pod-template-hash`, DaemonSets: `controller-revision-hash`).
 */
import type { KubernetesVersion } from '../../../k8s/features.js';
import { selectorMatches, type LabelSelector } from '../../../k8s/objects.js';
import type { WorkloadView } from '../../types.js';
import { strings } from './fields.js';

export const REVISION_LABEL: Readonly<Record<string, string>> = {
  Deployment: 'pod-template-hash',
  DaemonSet: 'controller-revision-hash',
  // argo-rollouts types.go DefaultRolloutUniqueLabelKey: its ReplicaSets' pods carry this one instead.
  Rollout: 'rollouts-pod-template-hash',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function podLabels(w: WorkloadView): Record<string, string> {
  const labels = w.template.metadata?.labels;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

/**
 * A labelSelector the API server accepts: matchLabels a map, matchExpressions a list of maps.
 * Affinity and spread terms are not shape-checked at the input boundary, so a term written any
 * other way is one the cluster rejects, and it selects nothing here.
 */
function isWellFormedSelector(selector: unknown): selector is LabelSelector {
  if (!isRecord(selector)) return false;
  const { matchLabels, matchExpressions } = selector as Record<string, unknown>;
  if (matchLabels !== undefined && matchLabels !== null && !isRecord(matchLabels)) return false;
  if (matchExpressions === undefined || matchExpressions === null) return true;
  return Array.isArray(matchExpressions) && matchExpressions.every((e) => isRecord(e) && (e.values === undefined || Array.isArray(e.values)));
}

/** Whether a term's labelSelector (and its namespaces, if listed) matches this workload's own pods. */
export function selectsOwnPods(term: PodCountingTerm, w: WorkloadView): boolean {
  if (!isWellFormedSelector(term.labelSelector)) return false;
  const namespaces = strings(term.namespaces);
  if (namespaces.length > 0 && !namespaces.includes(w.namespace) && !isRecord(term.namespaceSelector)) return false;
  return selectorMatches(term.labelSelector as LabelSelector, podLabels(w));
}

/** Whether `matchLabelKeys` scopes the term to the incoming pod's revision. */
export function scopedToRevision(term: PodCountingTerm, w: WorkloadView): boolean {
  const key = REVISION_LABEL[w.kind];
  return key !== undefined && strings(term.matchLabelKeys).includes(key);
}

/** A scheduling term that counts pods by label: a pod (anti-)affinity term or a topology spread constraint. */
export interface PodCountingTerm {
  labelSelector?: unknown;
  namespaces?: unknown;
  namespaceSelector?: unknown;
  topologyKey?: unknown;
  matchLabelKeys?: unknown;
}

/**
 * First minor version where `matchLabelKeys` is on by default. Where its gate is off, the API
 * server drops the field, so it neither helps nor can be suggested.
 * - affinity: KEP-3633 MatchLabelKeysInPodAffinity, alpha 1.29, beta 1.31, GA 1.33;
 * - spread: KEP-3243 MatchLabelKeysInPodTopologySpread, alpha 1.25, beta 1.27.
 */
const MATCH_LABEL_KEYS_FROM: Readonly<Record<'affinity' | 'spread', number>> = { affinity: 31, spread: 27 };

export function matchLabelKeysHonoured(where: 'affinity' | 'spread', v: KubernetesVersion): boolean {
  return v.major > 1 || v.minor >= MATCH_LABEL_KEYS_FROM[where];
}
