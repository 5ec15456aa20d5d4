/**
 * Strategic merge patch for the shapes kubectl and zerodrop send (k8s.io/apimachinery
 * pkg/util/strategicpatch): maps merge recursively, `null` deletes a key, the container lists
 * merge by their `name` key, and a `$setElementOrder/<list>` directive (which kubectl's two-way
 * patch always adds for a merged list) orders the merged list and is never stored.
 */
import type { Obj } from './store.js';

const MERGE_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'volumeMounts', 'imagePullSecrets']);
const ORDER_DIRECTIVE = '$setElementOrder/';

export function strategicMerge(target: Obj, patch: Obj): Obj {
  const orders = new Map<string, Obj[]>();
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(ORDER_DIRECTIVE)) {
      orders.set(k.slice(ORDER_DIRECTIVE.length), v as Obj[]);
      continue;
    }
    if (k.startsWith('$')) throw new Error(`fake strategic merge: unsupported directive ${k}`);
    if (MERGE_BY_NAME.has(k) && Array.isArray(v)) {
      const list: Obj[] = Array.isArray(target[k]) ? target[k] : [];
      for (const item of v as Obj[]) {
        const i = list.findIndex((c) => c.name === item.name);
        if (i >= 0) list[i] = strategicMerge(list[i]!, item);
        else list.push(item);
      }
      target[k] = list;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      target[k] = strategicMerge(target[k] && typeof target[k] === 'object' ? target[k] : {}, v as Obj);
    } else if (v === null) {
      delete target[k];
    } else {
      target[k] = v;
    }
  }
  for (const [list, order] of orders) {
    const items: Obj[] = Array.isArray(target[list]) ? target[list] : [];
    const named = order.map((o) => items.find((i) => i.name === o.name)).filter((i): i is Obj => i !== undefined);
    target[list] = [...named, ...items.filter((i) => !named.includes(i))];
  }
  return target;
}
