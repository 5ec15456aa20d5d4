/**
 * ConfigMaps of an input by namespace and name, indexed once per object list: the framework rules
 * look one up for every volume and envFrom of every container, and a search each time is
 * quadratic on large inputs. A ConfigMap without metadata.namespace is in `default`, the
 * namespace its workload is resolved in when it has none either.
 */
import type { KubeObject } from './objects.js';

const indexes = new WeakMap<readonly KubeObject[], Map<string, KubeObject>>();

export function configMapNamed(objects: readonly KubeObject[], namespace: string, name: string): KubeObject | undefined {
  let index = indexes.get(objects);
  if (!index) {
    index = new Map();
    for (const o of objects)
      if (o.kind === 'ConfigMap' && typeof o.metadata?.name === 'string') index.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o);
    indexes.set(objects, index);
  }
  return index.get(`${namespace}/${name}`);
}
