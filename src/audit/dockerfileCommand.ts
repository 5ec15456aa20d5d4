/**
 * What a Dockerfile makes PID 1 (docs/reference/signals.md#shell-form-and-exec-form): ENTRYPOINT
 * and CMD combined the way Docker combines them, including what the base image sets when the file
 * does not, the shell that runs shell form (`SHELL`, else /bin/sh of the base image), and fixes
 * that are valid by construction.
 */
import { isUnresolvedImage, parseImageRef } from '../k8s/imageRef.js';
import { imageShell, knownImage } from '../k8s/images.js';
import type { ImageRow } from '../k8s/imageTable.js';
import { containerPid1Context } from '../k8s/containerPid1.js';
import { pid1Of, type Pid1, type Pid1Context } from '../k8s/pid1.js';
import { execFormOf, withExecOnLastCommand } from '../k8s/shellScript.js';
import type { ImageShell } from '../k8s/shells.js';
import type { DockerfileInstruction, DockerfileView } from './types.js';

export function lastInstruction(view: DockerfileView, keyword: string): DockerfileInstruction | undefined {
  for (let i = view.instructions.length - 1; i >= 0; i--) if (view.instructions[i]!.keyword === keyword) return view.instructions[i];
  return undefined;
}

/** The base image's table row, unless the base is a build argument (`FROM ${BASE}`), which could be anything. */
export function baseImageRow(view: DockerfileView): ImageRow | undefined {
  const base = view.finalBaseImage;
  return base && !isUnresolvedImage(base) ? knownImage(parseImageRef(base)) : undefined;
}

/** The argv Docker runs shell form with: the last SHELL instruction, else `/bin/sh -c`. */
export function shellFormPrefix(view: DockerfileView): string[] {
  return lastInstruction(view, 'SHELL')?.execForm ?? ['/bin/sh', '-c'];
}

export interface EffectiveCommand {
  /** The file's own ENTRYPOINT (through the stages the final one is built from). */
  entrypoint: DockerfileInstruction | undefined;
  /** The file's own CMD, unless a shell-form ENTRYPOINT makes Docker ignore it or an ENTRYPOINT reset it. */
  cmd: DockerfileInstruction | undefined;
  /** The instruction a finding about PID 1 points at: ENTRYPOINT, else CMD. */
  decisive: DockerfileInstruction | undefined;
  /** argv of PID 1: shell form wrapped in its shell, the base image's ENTRYPOINT/CMD where the file sets none. */
  argv: string[] | undefined;
  /** The file sets no ENTRYPOINT and its base image is unknown: an ENTRYPOINT of the base may run in front of the CMD. */
  entrypointUnknown: boolean;
}

/**
 * Docker's rules (https://docs.docker.com/reference/dockerfile/#understand-how-cmd-and-entrypoint-interact):
 * a shell-form ENTRYPOINT ignores CMD; an exec-form ENTRYPOINT gets CMD appended; setting
 * ENTRYPOINT in a stage resets the CMD its base image had.
 */
export function effectiveCommand(view: DockerfileView): EffectiveCommand {
  const base = baseImageRow(view);
  let entrypoint: DockerfileInstruction | undefined;
  let cmd: DockerfileInstruction | undefined;
  let entrypointInStage = false;
  let cmdInStage = false;
  const endStage = () => {
    if (entrypointInStage && !cmdInStage) cmd = undefined;
  };
  for (const i of view.instructions) {
    if (i.keyword === 'FROM') {
      endStage();
      entrypointInStage = cmdInStage = false;
    } else if (i.keyword === 'ENTRYPOINT') {
      entrypoint = i;
      entrypointInStage = true;
    } else if (i.keyword === 'CMD') {
      cmd = i;
      cmdInStage = true;
    }
  }
  endStage();
  if (entrypoint && !entrypoint.execForm) cmd = undefined;
  const shell = shellFormPrefix(view);
  const argvOf = (i: DockerfileInstruction) => i.execForm ?? [...shell, i.raw.trim()];
  const entry = entrypoint ? argvOf(entrypoint) : base?.entrypoint?.argv;
  // The base image's CMD survives only where the file sets neither.
  const cmdArgv = cmd ? argvOf(cmd) : entrypoint ? undefined : base?.cmd;
  let argv: string[] | undefined;
  if (entrypoint && !entrypoint.execForm) argv = [...entry!];
  else if (entry) argv = [...entry, ...(cmdArgv ?? [])];
  else argv = cmdArgv ? [...cmdArgv] : undefined;
  return { entrypoint, cmd, decisive: entrypoint ?? cmd, argv, entrypointUnknown: !entrypoint && !base };
}

/** Package managers on the RUN lines tell the base's distribution, and so its /bin/sh. */
const DISTRIBUTION_BY_PACKAGE_MANAGER: ReadonlyArray<{ pattern: RegExp; shell: ImageShell; evidence: string }> = [
  { pattern: /(^|[\s;&|])apk\s+(add|update|upgrade)\b/, shell: 'busybox-ash', evidence: 'its RUN lines use apk (Alpine: /bin/sh is BusyBox ash)' },
  { pattern: /(^|[\s;&|])apt(-get)?\s+(install|update)\b/, shell: 'dash', evidence: 'its RUN lines use apt (Debian or Ubuntu: /bin/sh is dash)' },
  {
    pattern: /(^|[\s;&|])(microdnf|dnf|yum)\s+(install|update)\b/,
    shell: 'bash-any',
    evidence: 'its RUN lines use dnf/yum (a Red Hat family base: /bin/sh is bash)',
  },
];

/**
 * The /bin/sh of the image a Dockerfile builds: the base image's, from the table, else what its
 * package manager tells; with the evidence, for messages.
 */
export function dockerfileShell(view: DockerfileView): { shell: ImageShell | undefined; evidence: string } {
  const base = view.finalBaseImage;
  if (base && !isUnresolvedImage(base)) {
    const known = imageShell(parseImageRef(base));
    if (known) return { shell: known, evidence: `the base image ${base}` };
  }
  const runs = view.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.raw);
  for (const d of DISTRIBUTION_BY_PACKAGE_MANAGER) if (runs.some((r) => d.pattern.test(r))) return { shell: d.shell, evidence: d.evidence };
  return { shell: undefined, evidence: base ? `the base image ${base}, which zerodrop does not know` : 'an unknown base image' };
}

/** Files of the image the Dockerfile's context provides, and the entrypoint scripts its base image runs. */
export function dockerfilePid1Context(view: DockerfileView): Pid1Context {
  const files = view.contextFiles ?? {};
  return { ...containerPid1Context(view.finalBaseImage), imageShell: dockerfileShell(view).shell, readFile: (path) => files[path] };
}

/** What PID 1 of the image is. */
export function dockerfilePid1(view: DockerfileView): Pid1 | undefined {
  const { argv } = effectiveCommand(view);
  return argv ? pid1Of(argv, dockerfilePid1Context(view)) : undefined;
}

/**
 * The instruction(s) that replace a shell command so the server is PID 1, valid by construction:
 * exec form when every word is literal (with `WORKDIR` for a leading `cd DIR &&`), else the
 * same shell in exec form with `exec` before the server (`["/bin/sh", "-c", "exec …"]`), which
 * keeps `$VAR`, redirections and `&&` working. Undefined when the script has no server to exec.
 */
export function execFix(keyword: string, script: string, shell: readonly string[], options: { keepShell?: boolean } = {}): string | undefined {
  const plain = options.keepShell ? undefined : execFormOf(script);
  if (plain) return `${plain.workdir !== undefined ? `WORKDIR ${plain.workdir}\n` : ''}${keyword} ${JSON.stringify(plain.argv)}`;
  const fixed = withExecOnLastCommand(script);
  return fixed === undefined ? undefined : `${keyword} ${JSON.stringify([...shell, fixed])}`;
}
