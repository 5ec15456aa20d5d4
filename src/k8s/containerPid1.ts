/**
 * PID 1 of a container from its pod spec and what the image table knows of its image: `command`
 * replaces the image's ENTRYPOINT (and drops its CMD), `args` replaces the CMD
 * (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes).
 */
import { isUnresolvedImage, parseImageRef } from './imageRef.js';
import { imageShell, knownImage } from './images.js';
import type { ImageRow } from './imageTable.js';
import { pid1Of, type Pid1, type Pid1Context } from './pid1.js';
import type { ImageShell } from './shells.js';

export interface ContainerCommand {
  image: string | undefined;
  command: readonly string[] | undefined;
  args: readonly string[];
  /** The image's /bin/sh when something other than the image table tells it (the Dockerfile that builds the image). */
  imageShell?: ImageShell;
}

function rowOf(image: string | undefined): ImageRow | undefined {
  return image && !isUnresolvedImage(image) ? knownImage(parseImageRef(image)) : undefined;
}

/** The argv the runtime starts; undefined when it depends on an image the table does not know. */
export function containerArgv(c: ContainerCommand): string[] | undefined {
  if (c.command) return [...c.command, ...c.args];
  const row = rowOf(c.image);
  if (!row) return undefined;
  const entry = row.entrypoint?.argv ?? [];
  const rest = c.args.length > 0 ? c.args : (row.cmd ?? []);
  const argv = [...entry, ...rest];
  return argv.length > 0 ? argv : undefined;
}

export function containerPid1Context(image: string | undefined, readFile?: (path: string) => string | undefined): Pid1Context {
  const row = rowOf(image);
  const ctx: Pid1Context = {
    imageShell: image && !isUnresolvedImage(image) ? imageShell(parseImageRef(image)) : undefined,
    execsArguments: (path) => row?.entrypoint?.execsArguments === true && row.entrypoint.argv[0] === path,
  };
  if (readFile) ctx.readFile = readFile;
  return ctx;
}

export function containerPid1(c: ContainerCommand, readFile?: (path: string) => string | undefined): Pid1 | undefined {
  const argv = containerArgv(c);
  if (!argv) return undefined;
  const ctx = containerPid1Context(c.image, readFile);
  return pid1Of(argv, c.imageShell !== undefined && ctx.imageShell === undefined ? { ...ctx, imageShell: c.imageShell } : ctx);
}
