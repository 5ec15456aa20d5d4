import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap } from 'yaml';
import { usageError, ZerodropError } from '../../errors.js';
import { decodeText } from '../../audit/sources.js';
import { MAX_ALIAS_COUNT, parseYamlSource } from '../../audit/yamlSource.js';
import { PATH_BUDGETS, type PathKind } from '../../k8s/pathBudgets.js';
import type { TrafficPathOverride } from '../paths/profile.js';
import type { ImageMap, RolloutChange } from './workload.js';

/**
 * A lab file: which manifests to run, what each image runs as, and how to load and roll them.
 * Relative paths (manifests, and commands run by containers) resolve against the file's directory.
 *
 * ```yaml
 * name: probes-prestop
 * description: the talk's second overlay plus a preStop sleep
 * manifests: [probes-prestop.yaml]
 * images:
 *   zerodrop/demo-app: node ../demo-app/server.mjs
 *   nginx: { command: /usr/sbin/nginx -c nginx.conf, stopSignal: SIGQUIT }
 * rate: 200
 * propagation: 0.5s..3s
 * rollout: restart            # or { image: demo:v2, container: app }
 * trafficPath: { kind: aws-alb-ip, removalSeconds: 8 }   # the path in front of the pods
 * ```
 */
export interface LabFile extends LabSettings {
  file: string;
  dir: string;
  name?: string;
  description?: string;
  manifests: string[];
  images: ImageMap;
  /** Per-request timeout of the load generator, e.g. 5s (default 2s). */
  timeout?: string;
}

/** How a run is driven: set in a lab file, each one overridable from the command line. */
export interface LabSettings {
  rate?: number;
  propagation?: string;
  kubeletDelay?: string;
  proxy?: 'l7' | 'l4' | 'nginx';
  proxyRetries?: number;
  upstreamKeepAlive?: string;
  connection?: 'keep-alive' | 'fresh';
  path?: string;
  rollout?: RolloutChange;
  /**
   * The traffic path in front of the pods (src/lab/paths): a PATH_BUDGETS kind and its numbers,
   * or, without a kind, numbers laid over the path the manifests show.
   */
  trafficPath?: TrafficPathOverride;
}

const KEYS = new Set([
  'apiVersion',
  'kind',
  'name',
  'description',
  'manifests',
  'images',
  'rate',
  'propagation',
  'kubeletDelay',
  'proxy',
  'proxyRetries',
  'upstreamKeepAlive',
  'connection',
  'path',
  'rollout',
  'timeout',
  'trafficPath',
]);

/** Lab files are a few lines; anything bigger (or not a regular file) is not one. */
const MAX_LAB_FILE_BYTES = 1024 * 1024;

/** True when a YAML file is a lab file rather than Kubernetes manifests. */
export function looksLikeLabFile(file: string): boolean {
  if (/\.lab\.ya?ml$/.test(file)) return true;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_LAB_FILE_BYTES) return false;
    const { parsed, errors } = parseYamlSource({ file, text: readFileSync(file, 'utf8'), kind: 'yaml', origin: 'file' });
    if (errors.length > 0 || parsed.documents.length !== 1) return false;
    const v = parsed.documents[0]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null;
    return !!v && typeof v === 'object' && (v.kind === 'Lab' || ('manifests' in v && !('apiVersion' in v && v.kind !== 'Lab')));
  } catch {
    return false;
  }
}

function readLabText(file: string): string {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw usageError('input-unreadable', 'not a regular file', { file });
    if (st.size > MAX_LAB_FILE_BYTES) throw usageError('input-unreadable', `too large for a lab file (limit ${MAX_LAB_FILE_BYTES / 1024} KiB)`, { file });
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof ZerodropError) throw err;
    throw new ZerodropError('input-unreadable', `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const decoded = decodeText(bytes);
  if ('problem' in decoded) throw usageError(decoded.code, decoded.problem, { file });
  return decoded.text;
}

export function readLabFile(file: string): LabFile {
  const text = readLabText(file);
  // Read as the audit reads YAML: bounded nesting and aliases, duplicate keys refused, positions kept.
  const { parsed, errors } = parseYamlSource({ file, text, kind: 'yaml', origin: 'file' });
  const first = errors[0];
  if (first) throw new ZerodropError(first.code ?? 'yaml-invalid', first.message, { position: { file, line: first.line ?? 1 } });
  if (parsed.documents.length > 1)
    throw usageError('lab-file-invalid', 'a lab file is one YAML document', { file, line: parsed.lineCounter.linePos(parsed.documents[1]!.range[0]).line });
  const lineCounter = parsed.lineCounter;
  const doc = parsed.documents[0];
  if (!doc) throw usageError('lab-file-invalid', 'a lab file is a mapping with manifests and images', { file, line: 1 });
  const v = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null;
  const at = (key: string): { file: string; line?: number } => {
    const node = (isMap(doc.contents) ? doc.get(key, true) : undefined) as { range?: [number, number, number] } | undefined;
    return node?.range ? { file, line: lineCounter.linePos(node.range[0]).line } : { file };
  };
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw usageError('lab-file-invalid', 'a lab file is a mapping with manifests and images', { file, line: 1 });
  for (const k of Object.keys(v)) if (!KEYS.has(k)) throw usageError('lab-file-invalid', `unknown key "${k}" (known: ${[...KEYS].join(', ')})`, at(k));
  const dir = path.dirname(path.resolve(file));
  const manifests = v.manifests;
  if (!Array.isArray(manifests) || manifests.length === 0 || !manifests.every((m) => typeof m === 'string'))
    throw usageError('lab-file-invalid', 'manifests: a list of manifest files or directories is required', at('manifests'));
  const images: ImageMap = {};
  const rawImages = (v.images ?? {}) as Record<string, unknown>;
  if (typeof rawImages !== 'object' || Array.isArray(rawImages)) throw usageError('lab-file-invalid', 'images: a mapping from image to command', at('images'));
  for (const [image, spec] of Object.entries(rawImages)) {
    if (typeof spec === 'string') images[image] = { command: spec };
    else if (spec && typeof spec === 'object' && typeof (spec as { command?: unknown }).command === 'string') {
      const s = spec as { command: string; stopSignal?: unknown };
      images[image] = typeof s.stopSignal === 'string' ? { command: s.command, stopSignal: s.stopSignal } : { command: s.command };
    } else throw usageError('lab-file-invalid', `images.${image}: expected a command string or { command, stopSignal }`, at('images'));
  }
  const out: LabFile = { file, dir, manifests: (manifests as string[]).map((m) => path.resolve(dir, m)), images };
  const str = (k: string): string | undefined => {
    const x = v[k];
    if (x === undefined) return undefined;
    if (typeof x !== 'string' && typeof x !== 'number') throw usageError('lab-file-invalid', `${k}: expected a string`, at(k));
    return String(x);
  };
  const name = str('name');
  if (name !== undefined) out.name = name;
  const description = str('description');
  if (description !== undefined) out.description = description;
  if (v.rate !== undefined) {
    if (typeof v.rate !== 'number' || !(v.rate > 0)) throw usageError('bad-rate', 'rate: requests per second, a positive number', at('rate'));
    out.rate = v.rate;
  }
  const propagation = str('propagation');
  if (propagation !== undefined) out.propagation = propagation;
  const kubeletDelay = str('kubeletDelay');
  if (kubeletDelay !== undefined) out.kubeletDelay = kubeletDelay;
  const upstream = str('upstreamKeepAlive');
  if (upstream !== undefined) out.upstreamKeepAlive = upstream;
  if (v.proxy !== undefined) {
    if (v.proxy !== 'l7' && v.proxy !== 'l4' && v.proxy !== 'nginx') throw usageError('lab-file-invalid', 'proxy: l7, l4 or nginx', at('proxy'));
    out.proxy = v.proxy;
  }
  if (v.proxyRetries !== undefined) {
    if (typeof v.proxyRetries !== 'number' || !Number.isInteger(v.proxyRetries) || v.proxyRetries < 0 || v.proxyRetries > 10)
      throw usageError('lab-file-invalid', 'proxyRetries: a whole number from 0 to 10', at('proxyRetries'));
    out.proxyRetries = v.proxyRetries;
  }
  if (v.connection !== undefined) {
    if (v.connection !== 'keep-alive' && v.connection !== 'fresh') throw usageError('lab-file-invalid', 'connection: keep-alive or fresh', at('connection'));
    out.connection = v.connection;
  }
  const timeout = str('timeout');
  if (timeout !== undefined) out.timeout = timeout;
  const p = str('path');
  if (p !== undefined) out.path = p;
  if (v.rollout !== undefined) out.rollout = parseRolloutValue(v.rollout, at('rollout'));
  if (v.trafficPath !== undefined) out.trafficPath = parseTrafficPath(v.trafficPath, at('trafficPath'));
  return out;
}

const HEALTH_CHECK_KEYS = ['intervalSeconds', 'unhealthyThreshold', 'healthyThreshold', 'timeoutSeconds'] as const;

/** `trafficPath: { kind?, removalSeconds?, healthCheck?: { intervalSeconds, unhealthyThreshold, healthyThreshold, timeoutSeconds }, nodes? }`. */
function parseTrafficPath(raw: unknown, where: { file: string; line?: number }): TrafficPathOverride {
  const kinds = Object.keys(PATH_BUDGETS);
  const bad = (message: string): never => {
    throw usageError('lab-file-invalid', `trafficPath: ${message}`, where);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad(`a mapping of kind (one of ${kinds.join(', ')}), removalSeconds, healthCheck, nodes`);
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r))
    if (!['kind', 'removalSeconds', 'healthCheck', 'nodes'].includes(k)) bad(`unknown key "${k}" (known: kind, removalSeconds, healthCheck, nodes)`);
  const setting: TrafficPathOverride = {};
  if (r.kind !== undefined) {
    if (typeof r.kind !== 'string' || !Object.hasOwn(PATH_BUDGETS, r.kind))
      return bad(`kind must be one of ${kinds.join(', ')}, got ${JSON.stringify(r.kind)}`);
    setting.kind = r.kind as PathKind;
  }
  const positive = (x: unknown, name: string, whole: boolean, max: number): number => {
    if (typeof x !== 'number' || !(x > 0) || x > max || (whole && !Number.isInteger(x)))
      return bad(`${name} must be a ${whole ? 'whole number' : 'number'} above 0 and at most ${max}, got ${JSON.stringify(x)}`);
    return x;
  };
  if (r.removalSeconds !== undefined) setting.removalSeconds = positive(r.removalSeconds, 'removalSeconds', false, 600);
  if (r.nodes !== undefined) setting.nodes = positive(r.nodes, 'nodes', true, 20);
  if (r.healthCheck !== undefined) {
    const h = r.healthCheck;
    if (!h || typeof h !== 'object' || Array.isArray(h)) return bad(`healthCheck: a mapping of ${HEALTH_CHECK_KEYS.join(', ')}`);
    const hc: NonNullable<TrafficPathOverride['healthCheck']> = {};
    for (const [k, x] of Object.entries(h)) {
      if (!(HEALTH_CHECK_KEYS as readonly string[]).includes(k)) bad(`healthCheck: unknown key "${k}" (known: ${HEALTH_CHECK_KEYS.join(', ')})`);
      const key = k as (typeof HEALTH_CHECK_KEYS)[number];
      hc[key] = positive(x, `healthCheck.${k}`, key.endsWith('Threshold'), key.endsWith('Threshold') ? 10 : 300);
    }
    setting.healthCheck = hc;
  }
  return setting;
}

function parseRolloutValue(raw: unknown, where: { file: string; line?: number }): RolloutChange {
  if (raw === 'restart') return { kind: 'restart' };
  if (typeof raw === 'string') return parseRolloutFlag(raw);
  if (raw && typeof raw === 'object' && typeof (raw as { image?: unknown }).image === 'string') {
    const r = raw as { image: string; container?: unknown };
    return typeof r.container === 'string' ? { kind: 'image', image: r.image, container: r.container } : { kind: 'image', image: r.image };
  }
  throw usageError('lab-file-invalid', 'rollout: restart, or { image, container }', where);
}

/** `--rollout restart`, `--rollout image=demo:v2`, `--rollout image=app=demo:v2`. */
export function parseRolloutFlag(text: string): RolloutChange {
  if (text === 'restart') return { kind: 'restart' };
  const m = /^image=(?:([a-z0-9-]+)=)?(.+)$/.exec(text);
  if (m) return m[1] ? { kind: 'image', container: m[1], image: m[2]! } : { kind: 'image', image: m[2]! };
  throw usageError('lab-bad-rollout', `--rollout: expected restart, image=IMAGE or image=CONTAINER=IMAGE, got "${text}"`);
}
