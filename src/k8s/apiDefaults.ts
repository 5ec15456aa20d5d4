import type { IntOrPercent } from './intOrPercent.js';

/**
 * Deployment defaults differ by API version (docs/reference/workload-updates.md#defaults-by-api-version, kubernetes/kubernetes PR 39683):
 * extensions/v1beta1 used maxUnavailable 1 and maxSurge 1, no progress deadline and unlimited history;
 * apps/v1beta1 moved to 25%/25%, revisionHistoryLimit 2 and progressDeadlineSeconds 600; apps/v1beta2 and
 * apps/v1 keep 25%/25% with revisionHistoryLimit 10.
 */
export interface DeploymentDefaults {
  strategyType: 'RollingUpdate';
  maxUnavailable: IntOrPercent;
  maxSurge: IntOrPercent;
  /** undefined: keep all (extensions/v1beta1). */
  revisionHistoryLimit: number | undefined;
  /** undefined: no deadline (extensions/v1beta1). */
  progressDeadlineSeconds: number | undefined;
  minReadySeconds: number;
}

const APPS_V1: DeploymentDefaults = {
  strategyType: 'RollingUpdate',
  maxUnavailable: '25%',
  maxSurge: '25%',
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
  minReadySeconds: 0,
};

export function deploymentDefaults(apiVersion: string): DeploymentDefaults {
  switch (apiVersion) {
    case 'extensions/v1beta1':
      return { ...APPS_V1, maxUnavailable: 1, maxSurge: 1, revisionHistoryLimit: undefined, progressDeadlineSeconds: undefined };
    case 'apps/v1beta1':
      return { ...APPS_V1, revisionHistoryLimit: 2 };
    default:
      return APPS_V1;
  }
}

/** Workload API versions that are no longer served (all removed in 1.16, docs/reference/workload-updates.md#defaults-by-api-version). */
export const DEPRECATED_WORKLOAD_APIS: Readonly<Record<string, { removedIn: string; replacement: string }>> = {
  'extensions/v1beta1': { removedIn: '1.16', replacement: 'apps/v1' },
  'apps/v1beta1': { removedIn: '1.16', replacement: 'apps/v1' },
  'apps/v1beta2': { removedIn: '1.16', replacement: 'apps/v1' },
};

/** What changes when a Deployment moves from `from` to apps/v1, for the deprecated-workload-api fix text. */
export function defaultChangesOnMigration(from: string): string[] {
  const a = deploymentDefaults(from);
  const b = APPS_V1;
  const changes: string[] = [];
  const fmt = (v: unknown) => (v === undefined ? 'unset' : String(v));
  if (a.maxUnavailable !== b.maxUnavailable) changes.push(`maxUnavailable ${fmt(a.maxUnavailable)} → ${fmt(b.maxUnavailable)}`);
  if (a.maxSurge !== b.maxSurge) changes.push(`maxSurge ${fmt(a.maxSurge)} → ${fmt(b.maxSurge)}`);
  if (a.revisionHistoryLimit !== b.revisionHistoryLimit) changes.push(`revisionHistoryLimit ${fmt(a.revisionHistoryLimit)} → ${fmt(b.revisionHistoryLimit)}`);
  if (a.progressDeadlineSeconds !== b.progressDeadlineSeconds)
    changes.push(`progressDeadlineSeconds ${fmt(a.progressDeadlineSeconds)} → ${fmt(b.progressDeadlineSeconds)}`);
  return changes;
}
