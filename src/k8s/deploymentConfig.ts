/**
 * OpenShift `DeploymentConfig` (`apps.openshift.io/v1`) update semantics with the API server's
 * defaults (docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig; code:
 * openshift/api apps/v1/types.go, openshift/origin pkg/apps/apis/apps/v1/defaults.go
 * `SetDefaults_DeploymentStrategy` and `SetDefaults_RollingDeploymentStrategyParams`,
 * pkg/apps/strategy/rolling/rolling_updater.go).
 *
 * - `spec.strategy.type` defaults to `Rolling`; `Recreate` and `Custom` are the others.
 * - `rollingParams.maxSurge`/`maxUnavailable`: both unset → 25%/25%; one set to 0 (or "0%") → the
 *   other defaults to 25%; one set to anything else → the other stays unset, and the deployer
 *   refuses the rolling update ("no maxSurge or maxUnavailable parameters set").
 * - The rolling updater resolves them with the Deployment controller's `ResolveFenceposts`
 *   (surge rounds up, unavailable rounds down, 0/0 forces unavailable to 1) and keeps
 *   `desired - maxUnavailable` pods available: the same arithmetic as a Deployment
 *   (src/k8s/fenceposts.ts).
 * - `rollingParams.timeoutSeconds` (default 600) is how long the deployer waits without progress
 *   before the deployment fails.
 * - `spec.replicas` is a plain int32 with no defaulting: unset is 0.
 */
import { resolveFenceposts, type Fenceposts } from './fenceposts.js';
import { isLiteralZero, type IntOrPercent } from './intOrPercent.js';
import type { KubeObject } from './objects.js';

export const DC_DEFAULT_ROLLING_TIMEOUT_SECONDS = 600;
export const DC_DEFAULT_MAX_SURGE = '25%';
export const DC_DEFAULT_MAX_UNAVAILABLE = '25%';

export interface DeploymentConfigStrategy {
  /** `Rolling` (the default), `Recreate`, `Custom`, or what the manifest says. */
  type: string;
  typeSet: boolean;
  /** The resolved values; undefined when the API server leaves one unset (the deployer then refuses a rolling update). */
  maxSurge: IntOrPercent | undefined;
  maxUnavailable: IntOrPercent | undefined;
  surgeSet: boolean;
  unavailableSet: boolean;
  timeoutSeconds: number;
  timeoutSet: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const intOrPercentOf = (v: unknown): IntOrPercent | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

export function deploymentConfigStrategyOf(dc: KubeObject): DeploymentConfigStrategy {
  const strategy = isRecord(dc.spec?.strategy) ? dc.spec.strategy : {};
  const type = typeof strategy.type === 'string' && strategy.type !== '' ? strategy.type : 'Rolling';
  const params = isRecord(strategy.rollingParams) ? strategy.rollingParams : {};
  const surge = intOrPercentOf(params.maxSurge);
  const unavailable = intOrPercentOf(params.maxUnavailable);
  let maxSurge = surge;
  let maxUnavailable = unavailable;
  if (surge === undefined && unavailable === undefined) {
    maxSurge = DC_DEFAULT_MAX_SURGE;
    maxUnavailable = DC_DEFAULT_MAX_UNAVAILABLE;
  } else if (unavailable === undefined && isLiteralZero(surge)) maxUnavailable = DC_DEFAULT_MAX_UNAVAILABLE;
  else if (surge === undefined && isLiteralZero(unavailable)) maxSurge = DC_DEFAULT_MAX_SURGE;
  const timeout = typeof params.timeoutSeconds === 'number' && params.timeoutSeconds > 0 ? params.timeoutSeconds : undefined;
  return {
    type,
    typeSet: typeof strategy.type === 'string' && strategy.type !== '',
    maxSurge,
    maxUnavailable,
    surgeSet: surge !== undefined,
    unavailableSet: unavailable !== undefined,
    timeoutSeconds: timeout ?? DC_DEFAULT_ROLLING_TIMEOUT_SECONDS,
    timeoutSet: timeout !== undefined,
  };
}

/** The Rolling strategy's fenceposts; undefined for other types, a value left unset, or an invalid value. */
export function deploymentConfigFenceposts(s: DeploymentConfigStrategy, replicas: number): Fenceposts | undefined {
  if (s.type !== 'Rolling' || s.maxSurge === undefined || s.maxUnavailable === undefined) return undefined;
  try {
    return resolveFenceposts(replicas, s.maxSurge, s.maxUnavailable);
  } catch {
    return undefined;
  }
}
