/**
 * Indexed lookups from an object to the workloads related to it, built once per run: object rules
 * run once per Service, PDB or Deployment, and a scan of every workload each time is quadratic on
 * the 10,000-pair benchmark (bench/audit.bench.ts).
 */
import type { KubeObject } from '../../../k8s/objects.js';
import type { ObjectView, WorkloadView } from '../../types.js';

interface Index {
  byObject: Map<KubeObject, WorkloadView>;
  byService: Map<KubeObject, WorkloadView[]>;
  byPdb: Map<KubeObject, WorkloadView[]>;
}

const cache = new WeakMap<readonly WorkloadView[], Index>();

function indexOf(workloads: readonly WorkloadView[]): Index {
  let index = cache.get(workloads);
  if (index) return index;
  index = { byObject: new Map(), byService: new Map(), byPdb: new Map() };
  const add = (map: Map<KubeObject, WorkloadView[]>, key: KubeObject, w: WorkloadView) => {
    const list = map.get(key);
    if (list) list.push(w);
    else map.set(key, [w]);
  };
  for (const w of workloads) {
    index.byObject.set(w.object, w);
    for (const s of w.services) add(index.byService, s.object, w);
    for (const p of w.pdbs) add(index.byPdb, p.object, w);
  }
  cache.set(workloads, index);
  return index;
}

/** The workload view of an object that is itself a workload. */
export function workloadOf(workloads: readonly WorkloadView[], object: ObjectView): WorkloadView | undefined {
  return indexOf(workloads).byObject.get(object.object);
}

/** Workloads whose pods a Service selects. */
export function workloadsSelectedByService(workloads: readonly WorkloadView[], service: ObjectView): WorkloadView[] {
  return indexOf(workloads).byService.get(service.object) ?? [];
}

/** Workloads whose pods a PodDisruptionBudget selects. */
export function workloadsSelectedByPdb(workloads: readonly WorkloadView[], pdb: ObjectView): WorkloadView[] {
  return indexOf(workloads).byPdb.get(pdb.object) ?? [];
}

const claims = new WeakMap<readonly ObjectView[], Map<string, ObjectView>>();

/** The PersistentVolumeClaim of that namespace and name in the input, if any. */
export function claimNamed(objects: readonly ObjectView[], namespace: string, name: string): ObjectView | undefined {
  let byName = claims.get(objects);
  if (!byName) {
    byName = new Map(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => [`${o.namespace}/${o.name}`, o]));
    claims.set(objects, byName);
  }
  return byName.get(`${namespace}/${name}`);
}
