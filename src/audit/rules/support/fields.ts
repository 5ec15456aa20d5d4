/**
 * Defensive readers for list fields: hand-written or templated manifests carry wrong types
 * (`ports: "8080"`, `env: {A: 1}`), which the API server rejects but the auditor must survive.
 */
import type { Container, KubeObject } from '../../../k8s/objects.js';

type Port = NonNullable<Container['ports']>[number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Object items of a list with their original indices (for paths), skipping anything else. */
export function indexedRecords<T>(list: unknown): Array<{ item: T; index: number }> {
  if (!Array.isArray(list)) return [];
  const out: Array<{ item: T; index: number }> = [];
  for (let index = 0; index < list.length; index++) if (isRecord(list[index])) out.push({ item: list[index] as T, index });
  return out;
}

export function records<T>(list: unknown): T[] {
  return indexedRecords<T>(list).map((r) => r.item);
}

export function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
}

/** An object's spec as a record of values still to be type-checked (a spec of the wrong type reads as empty). */
export function specOf(view: { object: KubeObject }): Record<string, unknown> {
  const spec: unknown = view.object.spec;
  return isRecord(spec) ? spec : {};
}

export function portsOf(container: Container): Port[] {
  return records<Port>(container.ports);
}
