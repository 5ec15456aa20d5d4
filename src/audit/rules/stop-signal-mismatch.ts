/**
 * Rule of Uptime 2: STOPSIGNAL may need to be changed. nginx/openresty and php-fpm stop
 * gracefully on SIGQUIT, httpd on SIGWINCH, HAProxy on SIGUSR1; SIGTERM cuts in-flight requests.
 * Official nginx images set SIGQUIT only from 1.19.5; STOPSIGNAL SIGHUP makes nginx reload and
 * never exit, so every stop ends in SIGKILL (kubernetes-semantics §6.2).
 *
 * Two views of one rule: the Dockerfile that builds the image, and a container whose image we
 * know (official images) when no Dockerfile of the run builds it.
 */
import { runningContainersWithoutDockerfile } from '../views.js';
import type { DockerfileInstruction, DockerfileView, MessageData, Rule } from '../types.js';
import { officialImageStopSignal, parseImageRef, serverFor, serverForImage, type ServerKnowledge } from '../../k8s/images.js';
import { normaliseSignal } from '../../k8s/signals.js';
import { effectiveCommand, executableName, lastCommandOf, lastInstruction, shellInvocation, shellWords, unwrapInit } from '../dockerfileCommand.js';
import { commandLineOf } from './support/containers.js';
import { defineMeta, defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';

const meta = defineMeta({
  id: 'stop-signal-mismatch',
  ruleOfUptime: 2,
  severity: 'error',
  summary: 'image runs nginx, httpd, haproxy or php-fpm but stops it with a signal that cuts in-flight requests (or never stops it)',
  messages: {
    sighupReloads:
      '{{where}} stops nginx with SIGHUP, which only reloads its configuration: nginx never exits, so every pod stop waits for SIGKILL at the end of the grace period',
    sigtermCuts: '{{where}} stops {{server}} with SIGTERM ({{onSigterm}}); {{server}} finishes in-flight requests only on {{gracefulSignal}}',
    notGraceful: '{{where}} stops {{server}} with {{signal}} (not its graceful signal); {{server}} finishes in-flight requests only on {{gracefulSignal}}',
  },
  fixes: {
    stopSignalNginx: 'STOPSIGNAL {{gracefulSignal}} (or base on nginx ≥ 1.19.5, which sets it); keep a preStop sleep too, since nginx stops accepting at once',
    stopSignal: 'STOPSIGNAL {{gracefulSignal}}; keep a preStop sleep too, since {{server}} stops accepting at once',
    lifecycleStopSignal: 'lifecycle.stopSignal: {{gracefulSignal}}',
    newerNginx: 'use nginx ≥ 1.19.5 (STOPSIGNAL SIGQUIT), or build FROM it with STOPSIGNAL SIGQUIT',
    buildWithStopSignal: 'build the image with STOPSIGNAL {{gracefulSignal}}',
  },
});

/** Which message fits: `where` says where the signal comes from (an instruction, the base image, a field). */
function mismatch(server: ServerKnowledge, signal: string, where: string): { messageId: 'sighupReloads' | 'sigtermCuts' | 'notGraceful'; data: MessageData } {
  const data = { where, server: server.server, signal, gracefulSignal: server.gracefulSignal, onSigterm: server.onSigterm };
  if (signal === 'SIGHUP' && server.server === 'nginx') return { messageId: 'sighupReloads', data };
  return { messageId: signal === 'SIGTERM' ? 'sigtermCuts' : 'notGraceful', data };
}

/** dumb-init --rewrite 15:3 turns the runtime's SIGTERM into SIGQUIT (§6.1). */
function rewrittenSignal(wrapperArgs: string[], signal: string): string {
  for (let i = 0; i < wrapperArgs.length; i++) {
    const a = wrapperArgs[i]!;
    const spec = a === '-r' || a === '--rewrite' ? wrapperArgs[i + 1] : a.startsWith('--rewrite=') ? a.slice(10) : undefined;
    const m = spec ? /^(\d+):(\d+)$/.exec(spec) : null;
    if (m && normaliseSignal(m[1]!) === signal) return normaliseSignal(m[2]!) ?? signal;
  }
  return signal;
}

function serverOfDockerfile(view: DockerfileView): { server: ServerKnowledge; wrapperArgs: string[] } | undefined {
  const { argv } = effectiveCommand(view);
  const unwrapped = argv ? unwrapInit(argv) : undefined;
  const wrapperArgs = unwrapped?.wrapperArgs ?? [];
  let words = unwrapped?.argv ?? [];
  const sh = shellInvocation(words);
  if (sh?.script !== undefined) words = shellWords(lastCommandOf(sh.script)).filter((w) => w !== 'exec');
  // The server is the executable, or follows an entrypoint script: ["/docker-entrypoint.sh", "nginx", "-g", …].
  const candidates = words[0] !== undefined && /\.sh$/.test(words[0]) ? words.slice(0, 2) : words.slice(0, 1);
  const named = candidates.map((w) => serverFor(executableName(w))).find((x) => x !== undefined);
  if (named) return { server: named, wrapperArgs };
  // An explicit command that names no server runs something else; a script or no command keeps the base image's server.
  if (words.length > 0 && !/\.sh$/.test(words[0]!)) return undefined;
  const base = view.finalBaseImage ? serverForImage(parseImageRef(view.finalBaseImage)) : undefined;
  return base ? { server: base, wrapperArgs } : undefined;
}

const dockerfileSide = defineRule({
  meta,
  target: 'dockerfile',
  check(view) {
    const found = serverOfDockerfile(view);
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
      const inherited = view.finalBaseImage ? officialImageStopSignal(parseImageRef(view.finalBaseImage)) : undefined;
      signal = inherited ?? 'SIGTERM';
      where = inherited ? `the base image ${view.finalBaseImage} (STOPSIGNAL ${inherited})` : 'the image (no STOPSIGNAL, so the runtime sends SIGTERM)';
    }
    if (!signal) return [];
    const effective = rewrittenSignal(wrapperArgs, signal);
    if (effective === server.gracefulSignal) return [];
    return [{ ...(at ? { instruction: at } : {}), ...mismatch(server, effective, where), fixId: server.server === 'nginx' ? 'stopSignalNginx' : 'stopSignal' }];
  },
});

const workloadSide = defineRule({
  meta,
  target: 'workload',
  check: perContainer(runningContainersWithoutDockerfile, (c) => {
    if (typeof c.container.image !== 'string') return undefined;
    const ref = parseImageRef(c.container.image);
    const command = commandLineOf(c).command ?? [];
    const server = (command[0] ? serverFor(executableName(command[0])) : undefined) ?? serverForImage(ref);
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
    const official = officialImageStopSignal(ref);
    if (!official || official === server.gracefulSignal) return undefined;
    const note = ref.name === 'nginx' ? ' (official nginx images before 1.19.5 set STOPSIGNAL SIGTERM)' : '';
    return {
      path: [...c.path, 'image'],
      ...mismatch(server, official, `image ${c.container.image}${note}`),
      fixId: ref.name === 'nginx' ? 'newerNginx' : 'buildWithStopSignal',
    };
  }),
});

const rules: Rule[] = [dockerfileSide, workloadSide];
export default rules;
