/**
 * What the framework rules (Spring Boot, ASP.NET Core) read of one container: its environment
 * (image ENV from the Dockerfile of the run, envFrom, env), the words it runs, the files its
 * ConfigMap volumes put in it, its working directory and the image build, handed to the pure
 * readers of src/k8s/springBoot.ts and src/k8s/aspnetCore.ts.
 */
import { parseAllDocuments } from 'yaml';
import { dotnetShutdownView, type DotnetShutdownView } from '../../../k8s/aspnetCore.js';
import { containerEnvironment, dockerfileEnv } from '../../../k8s/containerEnv.js';
import { mountedConfigMapFiles } from '../../../k8s/mountedFiles.js';
import type { KubeObject } from '../../../k8s/objects.js';
import { springBootVersionIn, springShutdownView, type SpringShutdownView } from '../../../k8s/springBoot.js';
import { effectiveCommand, lastInstruction } from '../../dockerfileCommand.js';
import type { ContainerView, DockerfileView, WorkloadView } from '../../types.js';
import { commandLineOf } from './containers.js';

function keywordLines(d: DockerfileView | undefined, ...keywords: string[]): string[] {
  return d ? d.instructions.filter((i) => keywords.includes(i.keyword)).map((i) => i.raw) : [];
}

/** `LABEL org.springframework.boot.version=3.2.5 a="b"` and `ARG SPRING_BOOT_VERSION=3.2.5` as name → value. */
function buildVariables(d: DockerfileView | undefined): Map<string, string> {
  const out = dockerfileEnv(keywordLines(d, 'ENV', 'ARG'));
  for (const raw of keywordLines(d, 'LABEL')) for (const m of raw.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) out.set(m[1]!, m[2]!.replace(/^"|"$/g, ''));
  return out;
}

export interface ContainerInputs {
  env: ReturnType<typeof containerEnvironment>;
  argv: string[];
  files: ReturnType<typeof mountedConfigMapFiles>;
  workingDir: string | undefined;
  dockerfile: DockerfileView | undefined;
}

type PerContainer<T> = (c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]) => T;

/**
 * One answer per container and run, remembered with what it was computed from: three rules ask
 * about every serving container, and reading its environment, files and build is the costly part.
 */
function remembered<T>(compute: PerContainer<T>): PerContainer<T> {
  const cache = new WeakMap<ContainerView, { w: WorkloadView; objects: readonly KubeObject[]; value: T }>();
  return (c, w, objects) => {
    const hit = cache.get(c);
    if (hit && hit.w === w && hit.objects === objects) return hit.value;
    const value = compute(c, w, objects);
    cache.set(c, { w, objects, value });
    return value;
  };
}

function readContainerInputs(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): ContainerInputs {
  const dockerfile = c.dockerfiles[0];
  const env = containerEnvironment(c.container, w.namespace, objects, dockerfileEnv(keywordLines(dockerfile, 'ENV')));
  const { command, args } = commandLineOf(c);
  // The pod's command replaces the image's ENTRYPOINT and CMD; without one, what the Dockerfile runs (its CMD replaced by args).
  const imageArgv = dockerfile ? (effectiveCommand(dockerfile).argv ?? []) : [];
  const argv = command ? [...command, ...args] : [...imageArgv, ...args];
  const workingDir =
    typeof c.container.workingDir === 'string'
      ? c.container.workingDir
      : lastInstruction(dockerfile ?? { file: '', finalBaseImage: undefined, instructions: [] }, 'WORKDIR')?.raw.trim();
  return { env, argv, files: mountedConfigMapFiles(c.container, w.podSpec, w.namespace, objects), workingDir, dockerfile };
}

const parseYaml = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

export interface SpringContainer {
  view: SpringShutdownView;
  /** The Spring Boot version when the image build names it. */
  version: { version: string; from: string } | undefined;
  inputs: ContainerInputs;
}

function readSpringContainer(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): SpringContainer | undefined {
  const inputs = containerInputs(c, w, objects);
  const view = springShutdownView({
    env: inputs.env.vars,
    hiddenEnv: inputs.env.hidden,
    argv: inputs.argv,
    files: inputs.files,
    workingDir: inputs.workingDir,
    buildWords: keywordLines(inputs.dockerfile, 'RUN', 'ENTRYPOINT', 'CMD'),
    parseYaml,
  });
  if (!view) return undefined;
  const found = springBootVersionIn(buildVariables(inputs.dockerfile));
  const version = found && inputs.dockerfile ? { version: found.version, from: `${found.from} in ${inputs.dockerfile.file}` } : undefined;
  return { view, version, inputs };
}

function readDotnetContainer(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[]): DotnetShutdownView | undefined {
  const inputs = containerInputs(c, w, objects);
  const images = [typeof c.container.image === 'string' ? c.container.image : '', inputs.dockerfile?.finalBaseImage ?? ''].filter(Boolean);
  return dotnetShutdownView({
    env: inputs.env.vars,
    hiddenEnv: inputs.env.hidden,
    argv: inputs.argv,
    files: inputs.files,
    workingDir: inputs.workingDir,
    images,
  });
}

export const containerInputs = remembered(readContainerInputs);
export const springContainer = remembered(readSpringContainer);
export const dotnetContainer = remembered(readDotnetContainer);
