/**
 * A small schema language for the slice of the Kubernetes API zerodrop reads, and its checker.
 * Objects come from user YAML: a field may hold any type. The API server decodes JSON into typed
 * Go structs and rejects a field of the wrong type (`cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32`), so such an object never reaches a cluster and
 * nothing we conclude from it would be true. Checking once, here, lets every reader after the
 * boundary trust the types it reads.
 *
 * `null` is an absent field, as in the API's JSON decoding; unknown fields are not this module's
 * business (the unknown-field rule reports typos).
 */

export type Shape =
  | { type: 'string' }
  | { type: 'integer' }
  | { type: 'boolean' }
  /** IntOrString (`port: http`, `maxSurge: 25%`). */
  | { type: 'intOrString' }
  | { type: 'list'; of: Shape }
  /** A mapping from string keys to values of one shape (labels, selectors). */
  | { type: 'map'; of: Shape }
  | { type: 'object'; name: string; fields: Readonly<Record<string, Shape>>; required?: readonly string[] };

export const string: Shape = { type: 'string' };
export const integer: Shape = { type: 'integer' };
export const boolean: Shape = { type: 'boolean' };
export const intOrString: Shape = { type: 'intOrString' };
export const listOf = (of: Shape): Shape => ({ type: 'list', of });
export const mapOf = (of: Shape): Shape => ({ type: 'map', of });
export const object = (name: string, fields: Record<string, Shape>, required: readonly string[] = []): Shape => ({ type: 'object', name, fields, required });

export type ShapePath = Array<string | number>;

export interface ShapeViolation {
  /** Path of the offending value (or of the object missing a field) from the object root. */
  path: ShapePath;
  /** `wrong-type` or `missing-field`: stable, for callers that map them to error codes. */
  kind: 'wrong-type' | 'missing-field';
  message: string;
}

/** A JSON-path-like rendering (`spec.template.spec.containers[0].env`) for messages. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

/** What a value is, in the words an error message needs: `the string "3"`, `a list`, `a mapping`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'bigint') return `the integer ${v}`;
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'binary data (!!binary)';
  if (v instanceof Date) return 'a timestamp';
  if (isRecord(v)) return 'a mapping';
  return typeof v;
}

function expected(shape: Shape): string {
  switch (shape.type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'intOrString':
      return 'an integer or a string';
    case 'list':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'object':
      return `a mapping (${shape.name})`;
  }
}

/** A hint for the mistakes people actually make: a quoted number, a bare number where text belongs. */
function hint(shape: Shape, v: unknown): string {
  if (shape.type === 'integer' && typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return '; remove the quotes';
  if (shape.type === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `; quote it: "${String(v)}"`;
  if (shape.type === 'list' && isRecord(v)) return '; write each item on its own "- " line';
  return '';
}

function typeMatches(shape: Shape, v: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'boolean':
      return typeof v === 'boolean';
    case 'intOrString':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'list':
      return Array.isArray(v);
    case 'map':
    case 'object':
      return isRecord(v);
  }
}

/** A path as a chain from the root, so the walk allocates one link per value, not one array per value; materialized only for a violation. */
interface PathLink {
  parent: PathLink | undefined;
  seg: string | number;
}

function pathOf(root: ShapePath, link: PathLink | undefined): ShapePath {
  const segs: Array<string | number> = [];
  for (let l = link; l; l = l.parent) segs.push(l.seg);
  return [...root, ...segs.reverse()];
}

/** An object shape's fields in reverse declaration order (so the stack pops them in order), computed once per shape. */
const reversedFields = new WeakMap<Shape, Array<[string, Shape]>>();
function fieldsOf(s: Extract<Shape, { type: 'object' }>): Array<[string, Shape]> {
  let fields = reversedFields.get(s);
  if (!fields) reversedFields.set(s, (fields = Object.entries(s.fields).reverse()));
  return fields;
}

/**
 * Every violation of `shape` in `value`, each with its path. Iterative (an explicit stack), so
 * input nesting cannot exhaust the call stack; schemas are finite, so the walk is bounded by them.
 * It runs on every object of every input, so it walks without building a path array per value.
 */
export function checkShape(value: unknown, shape: Shape, root: ShapePath = []): ShapeViolation[] {
  const out: ShapeViolation[] = [];
  const stack: Array<{ v: unknown; s: Shape; at: PathLink | undefined; listItem: boolean }> = [{ v: value, s: shape, at: undefined, listItem: false }];
  while (stack.length > 0) {
    const { v, s, at, listItem } = stack.pop()!;
    if (v === null || v === undefined) {
      // An absent field is fine; a null list item is not (the API server decodes it to an empty
      // value that fails validation, and our readers would trip on it).
      if (listItem) {
        const path = pathOf(root, at);
        out.push({ path, kind: 'wrong-type', message: `${pathText(path)} is an empty list item; expected ${expected(s)}` });
      }
      continue;
    }
    if (!typeMatches(s, v)) {
      const path = pathOf(root, at);
      out.push({ path, kind: 'wrong-type', message: `${pathText(path)} must be ${expected(s)}, got ${describeValue(v)}${hint(s, v)}` });
      continue;
    }
    if (s.type === 'list') {
      const items = v as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push({ v: items[i], s: s.of, at: { parent: at, seg: i }, listItem: true });
    } else if (s.type === 'map') {
      const keys = Object.keys(v as Record<string, unknown>);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        stack.push({ v: (v as Record<string, unknown>)[k], s: s.of, at: { parent: at, seg: k }, listItem: false });
      }
    } else if (s.type === 'object') {
      const rec = v as Record<string, unknown>;
      for (const r of s.required ?? [])
        if (rec[r] === undefined || rec[r] === null) {
          const path = pathOf(root, at);
          out.push({ path, kind: 'missing-field', message: `${pathText(path)} has no ${r}; ${s.name} requires one` });
        }
      for (const [k, fs] of fieldsOf(s)) if (Object.hasOwn(rec, k)) stack.push({ v: rec[k], s: fs, at: { parent: at, seg: k }, listItem: false });
    }
  }
  return out;
}
