import { ZerodropError } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError } from './apiErrors.js';
import { KubeApiClient } from './apiClient.js';
import { loadKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { listAllPages } from './pagedList.js';
import { apiVersionOf, RESOURCES, resourcePath, type ResourceRef } from './resources.js';
import { readServerVersion, type ServerVersion } from './serverVersion.js';

/** What `zerodrop audit --cluster` reads: the workloads and every object the rules relate them to. */
export const AUDITED_RESOURCES: readonly ResourceRef[] = [
  RESOURCES.deployments,
  RESOURCES.statefulsets,
  RESOURCES.daemonsets,
  RESOURCES.services,
  RESOURCES.poddisruptionbudgets,
  RESOURCES.horizontalpodautoscalers,
  RESOURCES.ingresses,
];

const WORKLOADS = new Set<ResourceRef>([RESOURCES.deployments, RESOURCES.statefulsets, RESOURCES.daemonsets]);

export interface LiveObject {
  object: KubeObject;
  /** How findings name it: `deployment/NAMESPACE/NAME`. */
  ref: string;
}

export interface LiveObjectsOptions extends KubeconfigOptions {
  /** -n; default the context's namespace, else "default". Ignored with allNamespaces. */
  namespace?: string;
  allNamespaces?: boolean;
}

export interface LiveObjects {
  objects: LiveObject[];
  context: string;
  /** What the server says it runs (GET /version), when it says. */
  serverVersion: ServerVersion | undefined;
  /** How we connect, worth telling the user (from the kubeconfig and the client). */
  notes: string[];
  /** The namespace read, or undefined for all namespaces. */
  namespace: string | undefined;
  /** Kinds that could not be read (not served, or not allowed) and why; their rules did not run. */
  skipped: string[];
}

/**
 * Asks the server its version and lists the objects the audit needs, in pages (pagedList.ts), as
 * plain KubeObjects with apiVersion and kind filled in (list items omit them on the wire) and
 * server-owned bookkeeping removed (status, managedFields, uid, resourceVersion, ...), so they
 * read like the manifests the audit knows.
 * Not being allowed to read a workload kind is an error; a related kind (Service, PDB, HPA,
 * Ingress) that cannot be read is skipped and reported, because some rules then stay silent.
 */
export async function listLiveObjects(options: LiveObjectsOptions = {}): Promise<LiveObjects> {
  const loaded = loadKubeconfig(options);
  const client = new KubeApiClient(loaded);
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? loaded.namespace ?? 'default');
  try {
    return await listWith(client, loaded.context, namespace);
  } finally {
    await client.close();
  }
}

async function listWith(client: KubeApiClient, context: string, namespace: string | undefined): Promise<LiveObjects> {
  const objects: LiveObject[] = [];
  const skipped: string[] = [];
  const serverVersion = await readServerVersion(client);
  for (const resource of AUDITED_RESOURCES) {
    const call = { verb: 'list' as const, resource, ...(namespace === undefined ? {} : { namespace }) };
    let list: { items: KubeObject[] };
    try {
      list = await listAllPages(client, call, resourcePath(resource, namespace));
    } catch (err) {
      const status = err instanceof KubeApiError ? err.statusCode : undefined;
      if (!WORKLOADS.has(resource) && (status === 403 || status === 404)) {
        skipped.push(
          `${resource.resource}.${resource.group || 'core'} (${status === 403 ? 'forbidden: grant list' : `${apiVersionOf(resource)} not served by this cluster`})`,
        );
        continue;
      }
      throw client.userError(err, call);
    }
    for (const item of list.items) {
      const object = asManifest({ apiVersion: apiVersionOf(resource), kind: resource.kind, ...item });
      objects.push({ object, ref: `${resource.kind.toLowerCase()}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}` });
    }
  }
  if (objects.length === 0 && namespace !== undefined) {
    throw new ZerodropError(
      'cluster-empty',
      `no Deployments, StatefulSets, DaemonSets or Services in namespace "${namespace}" (context "${context}"); pass -n or --all-namespaces`,
      {},
    );
  }
  return { objects, context, namespace, skipped, serverVersion, notes: [...client.notes] };
}

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'ownerReferences'];

export function asManifest(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata = { ...(rest.metadata ?? {}) } as Record<string, unknown>;
  for (const k of SERVER_METADATA) delete metadata[k];
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  // kubectl apply's copy of the last manifest: large, and not what the cluster runs.
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata } as KubeObject;
}
