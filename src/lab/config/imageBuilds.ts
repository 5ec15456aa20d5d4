/**
 * What the input says an image runs and how it is stopped when a Dockerfile of the input builds
 * it: the same Dockerfile reading and image ⇔ Dockerfile linking as the audit (src/audit), so the
 * lab replays what the audit judged. Kubernetes sends the image's STOPSIGNAL unless the container
 * sets lifecycle.stopSignal (docs/reference/pod-termination.md#stop-container).
 */
import path from 'node:path';
import { dockerfilePid1Context, effectiveCommand, lastInstruction } from '../../audit/dockerfileCommand.js';
import { dockerfilesForImage } from '../../audit/dockerfileLink.js';
import { parseDockerfileSource } from '../../audit/dockerfileSource.js';
import type { Source } from '../../audit/sources.js';
import type { DockerfileView } from '../../audit/types.js';
import { dockerfileImageNames } from '../../audit/views.js';
import { containerArgv, containerPid1Context } from '../../k8s/containerPid1.js';
import { isUnresolvedImage, parseImageRef } from '../../k8s/imageRef.js';
import { imageStopSignal } from '../../k8s/images.js';
import type { Container } from '../../k8s/objects.js';
import { finalPid1, pid1Of, type Pid1Context } from '../../k8s/pid1.js';
import { serverFor, type ServerKnowledge } from '../../k8s/servers.js';
import { normaliseSignal } from '../../k8s/signals.js';

/** The Dockerfiles among the input's sources, parsed as the audit parses them (unparsable ones left out: the audit reports them). */
export function dockerfileViews(sources: readonly Source[]): DockerfileView[] {
  return sources.filter((s) => s.kind === 'dockerfile').flatMap((s) => parseDockerfileSource(s).view ?? []);
}

/** The one Dockerfile of the input that builds this image; none when no Dockerfile or several match. */
export function dockerfileFor(image: string, views: readonly DockerfileView[]): DockerfileView | undefined {
  const matches = dockerfilesForImage(image, views, dockerfileImageNames);
  return matches.length === 1 ? matches[0] : undefined;
}

const where = (view: DockerfileView, line?: number): string => `${path.basename(path.dirname(view.file))}/${path.basename(view.file)}${line ? `:${line}` : ''}`;

/**
 * The STOPSIGNAL the built image has: its own last STOPSIGNAL, else the one of a base image the
 * table knows (SIGTERM for a known base without one), else undefined (a base we do not know may
 * set any signal).
 */
export function dockerfileStopSignal(view: DockerfileView): { signal: string; from: string } | undefined {
  const own = lastInstruction(view, 'STOPSIGNAL');
  if (own) {
    const signal = normaliseSignal(own.raw.trim());
    return signal ? { signal, from: `STOPSIGNAL ${own.raw.trim()} in ${where(view, own.line)}` } : undefined;
  }
  const base = view.finalBaseImage;
  const inherited = base && !isUnresolvedImage(base) ? imageStopSignal(parseImageRef(base)) : undefined;
  if (!inherited) return undefined;
  return {
    signal: inherited.signal,
    from: inherited.row.stopSignal ? `the base image ${base} of ${where(view)}` : `no STOPSIGNAL in ${where(view)} or its base image ${base}`,
  };
}

/**
 * The server the container's main process is, when it is one of src/k8s/servers.ts and gets the
 * stop signal itself: the container's command, or the image's ENTRYPOINT/CMD from the Dockerfile
 * that builds it or from the image table, followed through shells and scripts that exec and
 * through `bundle exec`. A shell that stays PID 1 or an init wrapper in front is not the server.
 */
export function serverOfContainer(c: Container, build: DockerfileView | undefined): { server: ServerKnowledge; argv: string[]; from: string } | undefined {
  const command = c.command?.map(String);
  const args = (c.args ?? []).map(String);
  let argv: string[] | undefined;
  let from: string;
  let ctx: Pid1Context;
  if (command || !build) {
    argv = containerArgv({ image: c.image, command, args });
    from = command ? "the container's command" : `the image ${c.image}`;
    ctx = containerPid1Context(c.image);
  } else {
    // `args` replaces the Dockerfile's CMD and keeps its ENTRYPOINT.
    const own = effectiveCommand(build);
    argv = args.length > 0 ? [...(own.entrypoint?.execForm ?? []), ...args] : own.argv;
    from = args.length > 0 ? "the container's args" : where(build, (own.cmd ?? own.entrypoint)?.line);
    ctx = dockerfilePid1Context(build);
  }
  const last = argv && argv.length > 0 ? finalPid1(pid1Of(argv, ctx)) : undefined;
  if (!argv || !last || (last.kind !== 'program' && last.kind !== 'runtime')) return undefined;
  const server = serverFor(last.argv[0] ?? '');
  return server ? { server, argv, from } : undefined;
}
