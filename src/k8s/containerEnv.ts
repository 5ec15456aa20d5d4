/**
 * The environment a container's process starts with, as far as the input shows it: the image's
 * `ENV` (when a Dockerfile of the run builds it), then `envFrom`, then `env`, later ones winning
 * (https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/).
 * Values from a Secret, a field reference or a ConfigMap the input does not hold are set but
 * unknown, and an `envFrom` source the input does not hold may set any variable: `hidden` says so.
 */
import { configMapNamed } from './configMaps.js';
import type { Container, KubeObject } from './objects.js';

export interface ContainerEnvironment {
  /** Name → value; `undefined` when the variable is set from something the input does not show. */
  vars: Map<string, string | undefined>;
  /** Sources that may set variables the input cannot list (`envFrom` of Secret app-env). */
  hidden: string[];
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRecord) : []);

function configMapData(objects: readonly KubeObject[], namespace: string, name: unknown): Rec | undefined {
  if (typeof name !== 'string') return undefined;
  const cm = configMapNamed(objects, namespace, name);
  return cm && isRecord((cm as Rec).data) ? ((cm as Rec).data as Rec) : cm ? {} : undefined;
}

export function containerEnvironment(
  c: Container,
  namespace: string,
  objects: readonly KubeObject[],
  imageEnv: ReadonlyMap<string, string> = new Map(),
): ContainerEnvironment {
  const vars = new Map<string, string | undefined>(imageEnv);
  const hidden: string[] = [];
  for (const from of list(c.envFrom)) {
    const prefix = typeof from.prefix === 'string' ? from.prefix : '';
    const ref = isRecord(from.configMapRef) ? from.configMapRef : undefined;
    const data = ref ? configMapData(objects, namespace, ref.name) : undefined;
    if (data) {
      for (const [k, v] of Object.entries(data)) vars.set(prefix + k, typeof v === 'string' ? v : String(v));
    } else if (ref) hidden.push(`envFrom ConfigMap ${String(ref.name)}, which is not in the input`);
    else if (isRecord(from.secretRef)) hidden.push(`envFrom Secret ${String(from.secretRef.name)}`);
  }
  for (const e of list(c.env)) {
    if (typeof e.name !== 'string') continue;
    if (typeof e.value === 'string' || typeof e.value === 'number' || typeof e.value === 'boolean') {
      vars.set(e.name, String(e.value));
      continue;
    }
    const key = isRecord(e.valueFrom) && isRecord(e.valueFrom.configMapKeyRef) ? e.valueFrom.configMapKeyRef : undefined;
    const data = key ? configMapData(objects, namespace, key.name) : undefined;
    const v = data && typeof key?.key === 'string' ? data[key.key] : undefined;
    // A variable with neither value nor valueFrom is set to the empty string.
    vars.set(e.name, typeof v === 'string' ? v : e.valueFrom === undefined ? '' : undefined);
  }
  return { vars, hidden };
}

/** `ENV` of a Dockerfile as name → value (both `ENV A=1 B="x y"` and the legacy `ENV A 1`). */
export function dockerfileEnv(envInstructions: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of envInstructions) {
    const text = raw.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(text);
      if (m) out.set(m[1]!, m[2]!.trim());
      continue;
    }
    for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) out.set(m[1]!, unquote(m[2]!));
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
