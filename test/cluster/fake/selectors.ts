/**
 * Label selectors (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and the field selectors
 * the API server offers on every resource (`metadata.name`, `metadata.namespace`), as the
 * apiserver evaluates them for LIST and WATCH.
 */
import type { Obj } from './store.js';

export function selectorFilter(labelSelector: string | undefined, fieldSelector: string | undefined, namespace: string | undefined): (o: Obj) => boolean {
  const requirements: Array<(labels: Record<string, string>) => boolean> = [];
  for (const part of (labelSelector ?? '').match(/[^,(]+(\([^)]*\))?/g) ?? []) {
    const p = part.trim();
    if (p === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const [, key, op, vals] = m;
      const set = vals!.split(',').map((s) => s.trim());
      requirements.push((l) => (op === 'in' ? l[key!] !== undefined && set.includes(l[key!]!) : l[key!] === undefined || !set.includes(l[key!]!)));
    } else if ((m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(p))) {
      const [, key, op, val] = m;
      requirements.push((l) => (op === '!=' ? l[key!] !== val : l[key!] === val));
    } else if (p.startsWith('!')) requirements.push((l) => l[p.slice(1)] === undefined);
    else requirements.push((l) => l[p] !== undefined);
  }
  const fields: Array<[string, string]> = (fieldSelector ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => f.split('=') as [string, string]);
  return (o) => {
    if (namespace !== undefined && o.metadata?.namespace !== namespace) return false;
    const labels = o.metadata?.labels ?? {};
    if (!requirements.every((r) => r(labels))) return false;
    return fields.every(([k, v]) => (k === 'metadata.name' ? o.metadata?.name === v : k === 'metadata.namespace' ? o.metadata?.namespace === v : true));
  };
}
