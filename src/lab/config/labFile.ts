import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { usageError, ZerodropError } from '../../errors.js';
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
]);

/** True when a YAML file is a lab file rather than Kubernetes manifests. */
export function looksLikeLabFile(file: string): boolean {
  if (/\.lab\.ya?ml$/.test(file)) return true;
  try {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const v = doc.toJS() as Record<string, unknown> | null;
    return !!v && typeof v === 'object' && (v.kind === 'Lab' || ('manifests' in v && !('apiVersion' in v && v.kind !== 'Lab')));
  } catch {
    return false;
  }
}

export function readLabFile(file: string): LabFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ZerodropError('input-unreadable', `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors[0]) {
    const pos = lineCounter.linePos(doc.errors[0].pos[0]);
    throw usageError('yaml-invalid', `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, { file, line: pos.line });
  }
  const v = doc.toJS() as Record<string, unknown> | null;
  const at = (key: string): { file: string; line?: number } => {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? { file, line: lineCounter.linePos(node.range[0]).line } : { file };
  };
  if (!v || typeof v !== 'object') throw usageError('lab-file-invalid', 'a lab file is a mapping with manifests and images', { file, line: 1 });
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
  if (typeof v.name === 'string') out.name = v.name;
  if (typeof v.description === 'string') out.description = v.description;
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
    if (typeof v.proxyRetries !== 'number' || v.proxyRetries < 0) throw usageError('lab-file-invalid', 'proxyRetries: a number ≥ 0', at('proxyRetries'));
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
  return out;
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
