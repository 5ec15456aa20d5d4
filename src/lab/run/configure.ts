import path from 'node:path';
import { usageError } from '../../errors.js';
import { readManifests } from '../config/manifests.js';
import { dockerfileViews } from '../config/imageBuilds.js';
import { buildWorkload, type ImageMap } from '../config/workload.js';
import type { LabFile, LabSettings } from '../config/labFile.js';
import { parseDurationMs } from '../../durations.js';
import { parseDelayRange, type DelayRange } from '../endpoints/delay.js';
import { slowestOf } from '../../k8s/trafficPaths.js';
import { choosePath, describeProfile, resolveProfile } from '../paths/profile.js';
import type { LabRunConfig, LabTiming } from './runLab.js';

/** Options from the command line; each one overrides the lab file. */
export interface LabOverrides extends LabSettings {
  images?: ImageMap;
  /** `--workload NAME`: the Deployment to roll when an input has several. */
  workload?: string;
  quick?: boolean;
  seed?: number;
  pidNamespace?: boolean;
}

export const DEFAULT_RATE = 200;

/**
 * Default propagation per consumer (docs/reference/traffic-routing.md#propagation-latency): the ingress-like proxy (and real
 * nginx) learns of a change within 0.5–3 s (watch latency plus ingress-nginx's ≥ 3.3 s sync
 * cadence, docs/reference/traffic-routing.md#ingress-and-load-balancers, shortened to keep runs short); the kube-proxy-like L4 proxy within 0.2–2 s
 * (iptables min-sync-period 1 s, typical ~1 s, docs/reference/traffic-routing.md#kube-proxy, docs/reference/traffic-routing.md#propagation-latency).
 */
export const DEFAULT_PROPAGATION: Record<'l7' | 'l4' | 'nginx', string> = { l7: '0.5s..3s', nginx: '0.5s..3s', l4: '0.2s..2s' };

/** docs/reference/pod-termination.md#pleg-wait: the kubelet starts termination ~0–2 s after the delete (PLEG wait, "~1s of latency"). */
export const DEFAULT_KUBELET_DELAY = '0s..1s';

export function timingFor(quick: boolean): LabTiming {
  return quick
    ? { warmupMs: 500, settleMs: 500, startTimeoutMs: 30_000, rolloutTimeoutMs: 90_000 }
    : { warmupMs: 2000, settleMs: 2000, startTimeoutMs: 30_000, rolloutTimeoutMs: 120_000 };
}

/** Everything a run needs, validated before any process starts. */
export async function configureRun(
  input: { name: string; description?: string; manifests: string[]; images: ImageMap; cwd: string; lab?: LabFile; command: string },
  o: LabOverrides,
): Promise<LabRunConfig> {
  const lab = input.lab;
  const images = { ...input.images, ...(o.images ?? {}) };
  const rollout = o.rollout ?? lab?.rollout ?? { kind: 'restart' as const };
  const read = await readManifests(input.manifests);
  const workload = buildWorkload(read.objects, {
    images,
    rollout,
    cwd: input.cwd,
    dockerfiles: dockerfileViews(read.sources),
    ...(o.pidNamespace !== undefined ? { pidNamespace: o.pidNamespace } : {}),
    ...(o.workload !== undefined ? { workload: o.workload } : {}),
  });
  const mode = o.proxy ?? lab?.proxy ?? 'l7';
  const chosen = choosePath(slowestOf(workload.paths), o.trafficPath ?? lab?.trafficPath, o.trafficPath ? 'command line' : 'lab file');
  if (chosen && 'problem' in chosen) throw usageError('lab-file-invalid', chosen.problem, lab ? { file: lab.file } : undefined);
  // Under externalTrafficPolicy: Local the consumers the propagation reaches are the nodes' kube-proxies.
  const propagationDefault = chosen?.setting.kind === 'node-local' ? DEFAULT_PROPAGATION.l4 : DEFAULT_PROPAGATION[mode];
  const propagation: DelayRange = parseDelayRange(o.propagation ?? lab?.propagation ?? propagationDefault, '--propagation');
  const kubeletDelay = parseDelayRange(o.kubeletDelay ?? lab?.kubeletDelay ?? DEFAULT_KUBELET_DELAY, '--kubelet-delay');
  const rate = o.rate ?? lab?.rate ?? DEFAULT_RATE;
  if (!(rate > 0) || rate > 5000) throw usageError('bad-rate', `--rate must be a positive number of requests per second, at most 5000, got ${rate}`);
  const upstream = o.upstreamKeepAlive ?? lab?.upstreamKeepAlive;
  const config: LabRunConfig = {
    name: input.name,
    workload,
    manifests: input.manifests,
    sources: read.sources,
    rate,
    propagation,
    kubeletDelay,
    proxy: {
      mode,
      retries: o.proxyRetries ?? lab?.proxyRetries ?? 0,
      ...(upstream ? { upstreamKeepAliveMs: parseDurationMs(upstream, '--upstream-keepalive') } : {}),
    },
    ...(chosen
      ? {
          trafficPath: resolveProfile(chosen.setting, {
            propagationSeconds: Math.ceil(propagation.maxMs / 1000),
            replicas: workload.deployment.replicas,
            maxSurge: workload.deployment.fenceposts.maxSurge,
            from: chosen.from,
          }),
        }
      : {}),
    connection: o.connection ?? lab?.connection ?? 'keep-alive',
    path: o.path ?? lab?.path ?? '/',
    requestTimeoutMs: parseDurationMs(lab?.timeout ?? '2s', 'timeout'),
    timing: timingFor(o.quick ?? false),
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    command: input.command,
  };
  const description = input.description ?? lab?.description;
  if (description) config.description = description;
  const notes = [...workload.notes, ...(config.trafficPath ? [describeProfile(config.trafficPath)] : [])];
  if (notes.length > 0) config.notes = notes;
  return config;
}

export function configureFromLabFile(lab: LabFile, o: LabOverrides, command: string, name?: string): Promise<LabRunConfig> {
  return configureRun(
    {
      name: name ?? lab.name ?? path.basename(lab.file).replace(/\.(lab\.)?ya?ml$/, ''),
      manifests: lab.manifests,
      images: lab.images,
      cwd: lab.dir,
      lab,
      command,
    },
    o,
  );
}
