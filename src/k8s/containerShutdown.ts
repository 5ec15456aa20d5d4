/**
 * The server shutdown of one container of a pod, as its own words and the ConfigMaps of the
 * input show it (src/k8s/serverShutdown.ts reads the settings): what the container starts, the
 * files its ConfigMap volumes put in it, and whether the image is Caddy's own (whose Caddyfile
 * sets no global options). The audit's views read it for the preStop rules (Caddy's
 * shutdown_delay keeps serving like a preStop sleep), server-drain-exceeds-grace for the grace
 * period. Pure.
 */
import { containerArgv } from './containerPid1.js';
import { isUnresolvedImage, parseImageRef } from './imageRef.js';
import { knownImage } from './images.js';
import { mountedFileAt } from './mountedFiles.js';
import type { Container, KubeObject } from './objects.js';
import { serverShutdownOf, type ReadMounted, type ServerShutdown } from './serverShutdown.js';

export interface PodInputs {
  podSpec: Record<string, unknown>;
  namespace: string;
  objects: readonly KubeObject[];
}

/** Reads files of the container from the ConfigMaps of the input its volumes mount. */
export function mountedReader(c: Container, pod: PodInputs): ReadMounted {
  return (path) => {
    const f = mountedFileAt(c, pod.podSpec, pod.namespace, pod.objects, path);
    return f === undefined || f === 'unseen' ? f : { text: f.text, configMap: f.configMap, key: f.key };
  };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** The full argv the container starts (its command and args, or the image table's ENTRYPOINT and CMD). */
export function startedArgv(c: Container): string[] | undefined {
  const image = typeof c.image === 'string' ? c.image : undefined;
  return containerArgv({ image, command: strings(c.command), args: strings(c.args) ?? [] });
}

/**
 * gunicorn's, uvicorn's or Caddy's shutdown in this container; `builtInRun` says a Dockerfile of
 * the run builds its image (then the image is not the official one, whatever its name).
 */
export function containerServerShutdown(c: Container, pod: PodInputs, builtInRun: boolean): ServerShutdown | undefined {
  const image = typeof c.image === 'string' ? c.image : undefined;
  const officialCaddy = !builtInRun && image !== undefined && !isUnresolvedImage(image) && knownImage(parseImageRef(image))?.id === 'caddy';
  // An image a Dockerfile of the run builds starts its own ENTRYPOINT and CMD, not the table's row for its name.
  const argv = builtInRun && !Array.isArray(c.command) ? undefined : startedArgv(c);
  return serverShutdownOf(c, argv, mountedReader(c, pod), officialCaddy);
}

/**
 * How long the container keeps serving after its stop signal by its own config, when a file of
 * the input writes it (Caddy's shutdown_delay: the http app keeps serving and accepting until it
 * is over, https://github.com/caddyserver/caddy/blob/master/modules/caddyhttp/app.go), with the
 * ConfigMap that holds the file.
 */
export function configuredServingDelay(c: Container, pod: PodInputs, builtInRun: boolean): ServingDelay | undefined {
  return servingDelayOf(containerServerShutdown(c, pod, builtInRun));
}

export interface ServingDelay {
  server: string;
  seconds: number;
  origin: string;
  configMap: string;
}

/** The serving delay of a server's shutdown already read, when a ConfigMap of the input writes it. */
export function servingDelayOf(found: ServerShutdown | undefined): ServingDelay | undefined {
  const delay = found?.delay;
  if (!delay?.written || !delay.seconds || delay.at?.kind !== 'file' || !delay.at.configMap) return undefined;
  return { server: found!.server, seconds: delay.seconds, origin: delay.origin, configMap: delay.at.configMap };
}
