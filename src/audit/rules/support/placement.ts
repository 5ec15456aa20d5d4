/**
 * Scheduling constraints that count a workload's own pods: the scheduler evaluates them over every
 * pod the selector matches, the old ReplicaSet's and the new one's alike, unless `matchLabelKeys`
 * adds the revision label (Deployments: `pod-template-hash`, DaemonSets: `controller-revision-hash`).
 */
import { selectorMatches, type LabelSelector } from '../../../k8s/objects.js';
import type { WorkloadView } from '../../types.js';
import { strings } from './fields.js';

export const REVISION_LABEL: Readonly<Record<string, string>> = { Deployment: 'pod-template-hash', DaemonSet: 'controller-revision-hash' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function podLabels(w: WorkloadView): Record<string, string> {
  const labels = w.template.metadata?.labels;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

/** Whether a term's labelSelector (and its namespaces, if listed) matches this workload's own pods. */
export function selectsOwnPods(term: { labelSelector?: unknown; namespaces?: unknown; namespaceSelector?: unknown }, w: WorkloadView): boolean {
  if (!isRecord(term.labelSelector)) return false;
  const namespaces = strings(term.namespaces);
  if (namespaces.length > 0 && !namespaces.includes(w.namespace) && !isRecord(term.namespaceSelector)) return false;
  return selectorMatches(term.labelSelector as LabelSelector, podLabels(w));
}

/** Whether `matchLabelKeys` scopes the term to the incoming pod's revision. */
export function scopedToRevision(term: { matchLabelKeys?: unknown }, w: WorkloadView): boolean {
  const key = REVISION_LABEL[w.kind];
  return key !== undefined && strings(term.matchLabelKeys).includes(key);
}
