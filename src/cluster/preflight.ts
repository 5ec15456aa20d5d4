import { ZerodropError } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError } from './apiErrors.js';
import { KubeApiClient } from './apiClient.js';
import { loadKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { RESOURCES, resourcePath } from './resources.js';
import { rolloutTrigger, type RolloutAction, type RolloutTrigger } from './rolloutTrigger.js';
import { labelSelectorString, servicesSelecting } from './servicesOf.js';
import { checkUrlAnswers, type UrlAnswer } from './urlCheck.js';

export interface PreflightOptions extends KubeconfigOptions {
  deployment: string;
  /** -n; default: the context's namespace, else "default" (as kubectl). */
  namespace?: string;
  url: string;
  action: RolloutAction;
  now?: Date;
}

/** Everything known before the one change is made. Building it changes nothing in the cluster. */
export interface RolloutPlan {
  client: KubeApiClient;
  namespace: string;
  deployment: KubeObject;
  /** Label selector of the Deployment's pods. */
  podSelector: string;
  services: string[];
  trigger: RolloutTrigger | undefined;
  url: UrlAnswer;
  /** SelfSubjectAccessReview answer for the patch, when the API let us ask. */
  patchAllowed: boolean | undefined;
  notes: string[];
}

/**
 * Reads before it writes: the Deployment (404 → clear error), the Services that select it, the
 * permission to patch it, and that the URL answers. Any failure here leaves the cluster as it was.
 */
export async function preflight(options: PreflightOptions): Promise<RolloutPlan> {
  const loaded = loadKubeconfig(options);
  const client = new KubeApiClient(loaded);
  const namespace = options.namespace ?? loaded.namespace ?? 'default';
  const notes: string[] = [...client.notes];

  const deployment = await client.json<KubeObject>(
    { verb: 'get', resource: RESOURCES.deployments, namespace, name: options.deployment },
    resourcePath(RESOURCES.deployments, namespace, options.deployment),
    { timeoutMs: 15_000 },
  );
  deployment.apiVersion ??= 'apps/v1';
  deployment.kind ??= 'Deployment';
  const trigger = rolloutTrigger(deployment, options.action, options.now ?? new Date());

  const podSelector = labelSelectorString(deployment.spec?.selector as Parameters<typeof labelSelectorString>[0]);
  if (podSelector === '') {
    throw new ZerodropError('deployment-no-selector', `deployment/${options.deployment} has an empty selector; zerodrop cannot tell its pods apart`);
  }

  const serviceList = await client.json<{ items?: KubeObject[] }>(
    { verb: 'list', resource: RESOURCES.services, namespace },
    resourcePath(RESOURCES.services, namespace),
    { timeoutMs: 15_000 },
  );
  const services = servicesSelecting(deployment, serviceList.items ?? []).map((s) => s.metadata?.name ?? '?');
  if (services.length === 0) notes.push(`no Service in namespace ${namespace} selects deployment/${options.deployment}: endpoint changes will not be shown`);

  let patchAllowed: boolean | undefined;
  if (trigger) {
    patchAllowed = await canPatch(client, namespace, options.deployment);
    if (patchAllowed === false) {
      throw new ZerodropError(
        'cluster-forbidden',
        `forbidden: cannot patch deployments.apps "${options.deployment}" in namespace "${namespace}"; grant the verb "patch" on "deployments.apps" (see docs/rollout.md#rbac)`,
      );
    }
    if (patchAllowed === undefined)
      notes.push('could not ask the API whether we may patch the Deployment (SelfSubjectAccessReview unavailable); trying anyway');
  }

  const url = await checkUrlAnswers(options.url);
  return { client, namespace, deployment, podSelector, services, trigger, url, patchAllowed, notes };
}

/**
 * Asks the API server (authorization.k8s.io/v1 SelfSubjectAccessReview) whether the patch would
 * be allowed, so a missing permission is found before the load starts. Undefined when the review
 * itself is not available to us.
 */
async function canPatch(client: KubeApiClient, namespace: string, name: string): Promise<boolean | undefined> {
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { namespace, verb: 'patch', group: 'apps', resource: 'deployments', name } },
  };
  try {
    const answer = await client.rawJson<{ status?: { allowed?: boolean } }>(
      { verb: 'create', resource: RESOURCES.selfsubjectaccessreviews },
      resourcePath(RESOURCES.selfsubjectaccessreviews),
      { method: 'POST', body: review, timeoutMs: 15_000 },
    );
    return answer?.status?.allowed === true;
  } catch (err) {
    if (err instanceof KubeApiError && (err.statusCode === 403 || err.statusCode === 404)) return undefined;
    throw client.userError(err, { verb: 'create', resource: RESOURCES.selfsubjectaccessreviews });
  }
}
