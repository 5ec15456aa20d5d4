/**
 * Rule of Uptime 2: STOPSIGNAL may need to be changed. nginx/openresty, php-fpm and unicorn stop
 * gracefully on SIGQUIT, httpd on SIGWINCH, HAProxy on SIGUSR1; SIGTERM cuts in-flight requests.
 * STOPSIGNAL SIGHUP makes nginx reload and never exit, so every stop ends in SIGKILL
 * (docs/reference/signals.md#image-stop-signals).
 *
 * The server is what PID 1 really runs (through init wrappers, entrypoint scripts that exec their
 * arguments, and shells that exec), and the signal is the image's own STOPSIGNAL or the one its
 * base image sets, from the image table: an image is known by its exact repository, so an
 * ingress controller or an exporter named after nginx is not nginx.
 *
 * Two views of one rule: the Dockerfile that builds the image, and a container whose image the
 * table knows when no Dockerfile of the run builds it.
 */
import { runningContainersWithoutDockerfile } from '../views.js';
import type { DockerfileInstruction, MessageData, Rule } from '../types.js';
import { containerPid1 } from '../../k8s/containerPid1.js';
import { isUnresolvedImage, parseImageRef } from '../../k8s/imageRef.js';
import { imageStopSignal, serverForImage } from '../../k8s/images.js';
import { finalPid1, type Pid1 } from '../../k8s/pid1.js';
import { serverFor, type ServerKnowledge } from '../../k8s/servers.js';
import { normaliseSignal } from '../../k8s/signals.js';
import { dockerfilePid1, lastInstruction } from '../dockerfileCommand.js';
import { commandLineOf } from './support/containers.js';
import { defineMeta, defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';

const meta = defineMeta({
  id: 'stop-signal-mismatch',
  ruleOfUptime: 2,
  severity: 'error',
  looksAt: 'images',
  summary: 'image runs nginx, httpd, haproxy, php-fpm or unicorn but stops it with a signal that cuts in-flight requests (or never stops it)',
  messages: {
    sighupReloads:
      '{{where}} stops nginx with SIGHUP, which only reloads its configuration: nginx never exits, so every pod stop waits for SIGKILL at the end of the grace period',
    sigtermCuts: '{{where}} stops {{server}} with SIGTERM ({{onSigterm}}); {{server}} finishes in-flight requests only on {{gracefulSignal}}',
    notGraceful: '{{where}} stops {{server}} with {{signal}} (not its graceful signal); {{server}} finishes in-flight requests only on {{gracefulSignal}}',
  },
  fixes: {
    stopSignalNginx: 'STOPSIGNAL {{gracefulSignal}} (or base on nginx ≥ 1.19.5, which sets it); keep a preStop sleep too, since nginx stops accepting at once',
    stopSignal: 'STOPSIGNAL {{gracefulSignal}}; keep a preStop sleep too, since {{server}} stops accepting at once',
    stopSignalPhpFpm:
      'STOPSIGNAL SIGQUIT, and set process_control_timeout in the [global] section of its config: with the default 0 even SIGQUIT ' +
      'kills the workers at once (php-fpm-workers-not-awaited); keep a preStop sleep too, since php-fpm stops accepting at once',
    lifecycleStopSignal: 'lifecycle.stopSignal: {{gracefulSignal}}',
    newerNginx: 'use nginx ≥ 1.19.5 (STOPSIGNAL SIGQUIT), or build FROM it with STOPSIGNAL SIGQUIT',
    buildWithStopSignal: 'build the image with STOPSIGNAL {{gracefulSignal}}',
  },
});

/** Which message fits: `where` says where the signal comes from (an instruction, the base image, a field). */
function mismatch(server: ServerKnowledge, signal: string, where: string): { messageId: 'sighupReloads' | 'sigtermCuts' | 'notGraceful'; data: MessageData } {
  const data = { where, server: server.server, signal, gracefulSignal: server.gracefulSignal, onSigterm: server.onSigterm };
  if (signal === 'SIGHUP' && server.id === 'nginx') return { messageId: 'sighupReloads', data };
  return { messageId: signal === 'SIGTERM' ? 'sigtermCuts' : 'notGraceful', data };
}

/** dumb-init --rewrite 15:3 turns the runtime's SIGTERM into SIGQUIT (https://github.com/Yelp/dumb-init#signal-rewriting). */
function rewrittenSignal(wrapperArgs: readonly string[], signal: string): string {
  for (let i = 0; i < wrapperArgs.length; i++) {
    const a = wrapperArgs[i]!;
    const spec = a === '-r' || a === '--rewrite' ? wrapperArgs[i + 1] : a.startsWith('--rewrite=') ? a.slice(10) : undefined;
    const m = spec ? /^(\d+):(\d+)$/.exec(spec) : null;
    if (m && normaliseSignal(m[1]!) === signal) return normaliseSignal(m[2]!) ?? signal;
  }
  return signal;
}

/**
 * The server the stop signal is meant for: the program PID 1 ends up running, through an init
 * wrapper (whose signal rewriting applies), or named as the argument of an entrypoint script the
 * input does not hold (`["/start.sh", "nginx", …]`).
 */
export function signalledServer(p: Pid1 | undefined): { server: ServerKnowledge; wrapperArgs: readonly string[] } | undefined {
  let wrapperArgs: readonly string[] = [];
  let cur = p;
  if (cur?.kind === 'init') {
    wrapperArgs = cur.wrapperArgs;
    cur = cur.child;
  }
  const last = finalPid1(cur);
  if (!last) return undefined;
  let executable: string | undefined;
  if (last.kind === 'program' || last.kind === 'runtime') executable = last.argv[0];
  else if (last.kind === 'script' && last.execs === 'unread') executable = last.args[0];
  const server = executable ? serverFor(executable) : undefined;
  return server ? { server, wrapperArgs } : undefined;
}

const nginxRows = new Set(['nginx', 'nginx-unprivileged']);

const dockerfileSide = defineRule({
  meta,
  target: 'dockerfile',
  check(view) {
    const found = signalledServer(dockerfilePid1(view));
    if (!found) return [];
    const { server, wrapperArgs } = found;
    const stop = lastInstruction(view, 'STOPSIGNAL');
    let signal: string | undefined;
    let at: DockerfileInstruction | undefined;
    let where: string;
    if (stop) {
      signal = normaliseSignal(stop.raw);
      at = stop;
      where = `STOPSIGNAL ${stop.raw.trim()}`;
    } else {
      const base = view.finalBaseImage;
      const inherited = base && !isUnresolvedImage(base) ? imageStopSignal(parseImageRef(base)) : undefined;
      // A base image the table does not know may set its own STOPSIGNAL: no guess.
      if (base && !inherited && base !== 'scratch') return [];
      signal = inherited?.signal ?? 'SIGTERM';
      where = inherited?.row.stopSignal ? `the base image ${base} (STOPSIGNAL ${inherited.signal})` : 'the image (no STOPSIGNAL, so the runtime sends SIGTERM)';
    }
    if (!signal) return [];
    const effective = rewrittenSignal(wrapperArgs, signal);
    if (effective === server.gracefulSignal) return [];
    return [
      {
        ...(at ? { instruction: at } : {}),
        ...mismatch(server, effective, where),
        fixId: server.id === 'nginx' ? 'stopSignalNginx' : server.id === 'php-fpm' ? 'stopSignalPhpFpm' : 'stopSignal',
      },
    ];
  },
});

const workloadSide = defineRule({
  meta,
  target: 'workload',
  check: perContainer(runningContainersWithoutDockerfile, (c) => {
    const image = c.container.image;
    if (typeof image !== 'string') return undefined;
    const ref = parseImageRef(image);
    const { command, args } = commandLineOf(c);
    const found = command || args.length > 0 ? signalledServer(containerPid1({ image, command, args })) : undefined;
    const server = found?.server ?? (command ? undefined : serverForImage(ref));
    if (!server) return undefined;
    const stopSignalField = c.container.lifecycle?.stopSignal;
    if (typeof stopSignalField === 'string') {
      const s = normaliseSignal(stopSignalField);
      if (!s || s === server.gracefulSignal) return undefined;
      return {
        path: [...c.path, 'lifecycle', 'stopSignal'],
        ...mismatch(server, s, `lifecycle.stopSignal of container ${c.name}`),
        fixId: 'lifecycleStopSignal',
      };
    }
    const known = imageStopSignal(ref);
    if (!known) return undefined;
    const signal = rewrittenSignal(found?.wrapperArgs ?? [], known.signal);
    if (signal === server.gracefulSignal) return undefined;
    const nginx = nginxRows.has(known.row.id);
    const note = nginx ? ' (official nginx images before 1.19.5 set STOPSIGNAL SIGTERM)' : '';
    return {
      path: [...c.path, 'image'],
      ...mismatch(server, signal, `image ${image}${note}`),
      fixId: nginx ? 'newerNginx' : 'buildWithStopSignal',
    };
  }),
});

const rules: Rule[] = [dockerfileSide, workloadSide];
export default rules;
