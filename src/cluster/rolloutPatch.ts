import type { EventStream } from '../events/stream.js';
import { ZerodropError } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError } from './apiErrors.js';
import type { KubeApiClient } from './apiClient.js';
import { RESOURCES, resourcePath } from './resources.js';
import { FIELD_MANAGER, type RolloutTrigger } from './rolloutTrigger.js';

/** The content type kubectl rollout restart and kubectl set image send their patches with. */
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/**
 * Admission webhooks may each take up to their timeoutSeconds (default 10, at most 30) before the
 * write, so a PATCH can take that long; the API server itself gives up after 60 s
 * (--request-timeout), so we wait as long.
 */
export const PATCH_TIMEOUT_MS = 60_000;
/** After a PATCH whose answer never came, how long to look for the change on the server. */
export const PATCH_CONFIRM_MS = 30_000;

export interface PatchTiming {
  patchTimeoutMs?: number;
  patchConfirmMs?: number;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

const timedOut = (err: unknown) =>
  (err instanceof KubeApiError && err.statusCode === 504) ||
  ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'].includes((err as { code?: string })?.code ?? '');

/**
 * Sends the one PATCH, as kubectl does (strategic merge, a field manager, our User-Agent). When
 * the answer does not come in time (a slow webhook, a timeout on the way), the server may still
 * apply the change, so instead of reporting a failure we read the Deployment back until the change
 * shows (then the run goes on) or the confirmation time is up (then we say it may yet apply).
 */
export async function applyTrigger(
  client: KubeApiClient,
  namespace: string,
  name: string,
  trigger: RolloutTrigger,
  events: EventStream,
  timing: PatchTiming = {},
): Promise<KubeObject> {
  const call = { verb: 'patch' as const, resource: RESOURCES.deployments, namespace, name };
  const path = resourcePath(RESOURCES.deployments, namespace, name);
  const timeoutMs = timing.patchTimeoutMs ?? PATCH_TIMEOUT_MS;
  try {
    return await client.rawJson<KubeObject>(call, path, {
      method: 'PATCH',
      query: { fieldManager: FIELD_MANAGER },
      body: trigger.patch,
      contentType: STRATEGIC_MERGE_PATCH,
      timeoutMs,
    });
  } catch (err) {
    if (!timedOut(err)) throw client.userError(err, call);
    events.emit({
      type: 'note',
      level: 'warn',
      message: `the PATCH got no answer within ${seconds(timeoutMs)} (a slow admission webhook?); checking whether it was applied`,
    });
    const until = performance.now() + (timing.patchConfirmMs ?? PATCH_CONFIRM_MS);
    while (performance.now() < until) {
      const current = await client.json<KubeObject>({ ...call, verb: 'get' }, path, { timeoutMs: 15_000 });
      if (trigger.applied(current)) {
        events.emit({ type: 'note', level: 'info', message: 'the change is on the server: the PATCH was applied after all' });
        return current;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new ZerodropError(
      'cluster-patch-unconfirmed',
      `the PATCH of deployments.apps "${name}" got no answer within ${seconds(timeoutMs)} and the change did not show up afterwards; the server may still apply it: check kubectl rollout status deployment/${name} -n ${namespace} before retrying`,
      { cause: err },
    );
  }
}
