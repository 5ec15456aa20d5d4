/**
 * What the server-shutdown rules share: the program a container ends up running (through init
 * wrappers, entrypoint scripts that exec and shells that exec, from its command line, the image
 * a Dockerfile of the run builds, or the image table), and the php-fpm `process_control_timeout`
 * its config gives it, as far as the input shows it.
 */
import { containerPid1 } from '../../../k8s/containerPid1.js';
import { isUnresolvedImage, parseImageRef } from '../../../k8s/imageRef.js';
import { knownImage } from '../../../k8s/images.js';
import type { KubeObject } from '../../../k8s/objects.js';
import { mountedFileAt, mountedFilesUnder } from '../../../k8s/mountedFiles.js';
import { finalPid1, type Pid1 } from '../../../k8s/pid1.js';
import { phpFpmProcessControlTimeout, SHUTDOWN_SETTINGS, type ResolvedTimeout } from '../../../k8s/serverShutdown.js';
import { serverFor } from '../../../k8s/servers.js';
import { dockerfilePid1 } from '../../dockerfileCommand.js';
import type { ContainerView, WorkloadView } from '../../types.js';
import { commandLineOf } from './containers.js';

/** The argv of the program PID 1 ends up running, and the chain that leads there. */
export interface ServerProcess {
  argv: string[];
  /** The image the container runs is the table's row with this id (official images only). */
  imageRow: string | undefined;
  /** The Dockerfile of the run that builds the image, when there is one. */
  dockerfile: ContainerView['dockerfiles'][number] | undefined;
}

function programOf(p: Pid1 | undefined): string[] | undefined {
  let cur = p;
  if (cur?.kind === 'init') cur = cur.child;
  const last = finalPid1(cur);
  if (last?.kind === 'program' || last?.kind === 'runtime') return last.argv;
  // An entrypoint script the input does not hold, given the server as its arguments.
  if (last?.kind === 'script' && last.execs === 'unread') return last.args;
  return undefined;
}

export function serverProcessOf(c: ContainerView): ServerProcess | undefined {
  const image = typeof c.container.image === 'string' ? c.container.image : undefined;
  const { command, args } = commandLineOf(c);
  const dockerfile = c.dockerfiles[0];
  const row = image && !isUnresolvedImage(image) ? knownImage(parseImageRef(image))?.id : undefined;
  let argv: string[] | undefined;
  if (command) argv = programOf(containerPid1({ image, command, args }));
  else if (dockerfile) argv = args.length === 0 ? programOf(dockerfilePid1(dockerfile)) : undefined;
  else argv = programOf(containerPid1({ image, command, args }));
  return argv && argv.length > 0 ? { argv, imageRow: dockerfile ? undefined : row, dockerfile } : undefined;
}

/** The official php image's fpm config: php-fpm.conf includes etc/php-fpm.d/*.conf, and none of its files sets process_control_timeout. */
const FPM_PREFIX = '/usr/local/etc';
const FPM_CONF = `${FPM_PREFIX}/php-fpm.conf`;
const FPM_POOL_DIR = `${FPM_PREFIX}/php-fpm.d`;
const DEFAULT_INCLUDES = new Set(['etc/php-fpm.d/*.conf', `${FPM_POOL_DIR}/*.conf`]);

/** A Dockerfile line that may change the fpm config (a COPY into /usr/local/etc, a sed on php-fpm.conf). */
const TOUCHES_FPM_CONFIG = /process_control_timeout|php-fpm\.(conf|d)|\/usr\/local\/etc\b/;

/** Whether the argv is php-fpm itself (`php-fpm`, `php-fpm8.2`, `/usr/sbin/php-fpm83 -F`). */
export function runsPhpFpm(process: ServerProcess | undefined): boolean {
  return process !== undefined && serverFor(process.argv[0]!)?.id === 'php-fpm';
}

/**
 * php-fpm's `process_control_timeout` in a container that runs the official `php:*-fpm` image
 * (directly, or as the base of a Dockerfile of the run that leaves the fpm config alone), with
 * the config files ConfigMaps mount over /usr/local/etc/php-fpm.conf and php-fpm.d/ applied in
 * the order php-fpm reads them; undefined whenever something the input cannot show may set it.
 */
export function phpFpmTimeout(c: ContainerView, w: WorkloadView, objects: readonly KubeObject[], process: ServerProcess): ResolvedTimeout | undefined {
  const setting = SHUTDOWN_SETTINGS['php-fpm/process_control_timeout'];
  let base: string;
  if (process.dockerfile) {
    const from = process.dockerfile.finalBaseImage;
    if (!from || isUnresolvedImage(from) || knownImage(parseImageRef(from))?.id !== 'php-fpm') return undefined;
    const edits = process.dockerfile.instructions.some((i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword) && TOUCHES_FPM_CONFIG.test(i.raw));
    if (edits) return undefined;
    base = `the base image ${from}`;
  } else if (process.imageRow === 'php-fpm') base = `the image ${String(c.container.image)}`;
  else return undefined;
  // -y/--fpm-config names another main config file.
  if (process.argv.some((a) => a === '-y' || a.startsWith('--fpm-config'))) return undefined;
  const podSpec = w.podSpec as Record<string, unknown>;
  const main = mountedFileAt(c.container, podSpec, w.namespace, objects, FPM_CONF);
  const pool = mountedFilesUnder(c.container, podSpec, w.namespace, objects, FPM_POOL_DIR);
  if (main === 'unseen' || pool.unseen) return undefined;
  const files = [...(main ? [main] : []), ...pool.files.filter((f) => /\/[^/]+\.conf$/.test(f.path))];
  let last: { seconds: number; text: string; file: (typeof files)[number] } | undefined;
  for (const file of files) {
    const found = phpFpmProcessControlTimeout(file.text, (glob) => file === main && DEFAULT_INCLUDES.has(glob));
    if (found === 'unparsed') return undefined;
    if (found) last = { seconds: found.seconds, text: found.text, file };
  }
  if (last) {
    return {
      setting,
      seconds: last.seconds,
      written: true,
      origin: `process_control_timeout = ${last.text} in ${last.file.path} (ConfigMap ${last.file.configMap})`,
      at: { kind: 'file', path: last.file.path, configMap: last.file.configMap, key: last.file.key },
    };
  }
  const mounted = files.length > 0 ? ` or in the mounted ${files.map((f) => `${f.path} (ConfigMap ${f.configMap})`).join(', ')}` : '';
  return {
    setting,
    seconds: 0,
    written: false,
    origin: `process_control_timeout is not set in ${base}'s config${mounted}, so the default 0 applies`,
  };
}
