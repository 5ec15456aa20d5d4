import { albIdleTimeout, ingressNginxAnnotationSeconds } from '../../k8s/edgeProxies.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { shutdownTimeline } from '../../k8s/shutdownTimeline.js';
import type { WorkloadView } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, preStopOf } from './support/drain.js';

const WS_APP_PROTOCOLS = new Set(['kubernetes.io/ws', 'kubernetes.io/wss']);
/** Port names that say WebSocket: `ws`, `wss`, `websocket`, and those with a suffix (`ws-chat`). */
const WS_PORT_NAME = /^(ws|wss|websockets?)(-|$)/i;

const labelOf = (o: { kind?: unknown; metadata?: { name?: unknown } }) => `${String(o.kind)}/${String(o.metadata?.name ?? '')}`;

/** What in the input says this workload serves WebSockets, in words. */
function websocketSignals(w: WorkloadView): string[] {
  const out = new Set<string>();
  for (const p of w.servingPorts) {
    if (p.traffic !== 'user') continue;
    const raw = ((p.service.spec?.ports as unknown[] | undefined)?.[p.port.index] ?? {}) as { appProtocol?: unknown };
    const svc = `Service ${String(p.service.metadata?.name ?? '')} port ${p.port.name ?? p.port.port}`;
    if (typeof raw.appProtocol === 'string' && WS_APP_PROTOCOLS.has(raw.appProtocol.toLowerCase())) out.add(`${svc} has appProtocol ${raw.appProtocol}`);
    else if (p.port.name && WS_PORT_NAME.test(p.port.name)) out.add(`${svc} is named for WebSockets`);
    else if (p.target.containerPortName && WS_PORT_NAME.test(p.target.containerPortName))
      out.add(`container port ${p.target.containerPortName} is named for WebSockets`);
  }
  const serviceNames = new Set(w.servingPorts.filter((p) => p.traffic === 'user').map((p) => String(p.service.metadata?.name ?? '')));
  for (const i of w.ingresses) {
    const list = (i.object.metadata?.annotations as Record<string, unknown> | undefined)?.['nginx.org/websocket-services'];
    if (typeof list === 'string' && list.split(',').some((s) => serviceNames.has(s.trim())))
      out.add(`${labelOf(i.object)} lists its Service in nginx.org/websocket-services`);
  }
  return [...out];
}

/** The longest stream timeout an Ingress in front of the workload allows, when one is raised above the default. */
function longestTimeout(w: WorkloadView): { seconds: number; origin: string; ingress: string } | undefined {
  const found = w.ingresses.flatMap((i) => {
    const alb = albIdleTimeout(i.object);
    return [
      ingressNginxAnnotationSeconds(i.object, 'proxy-read-timeout'),
      ingressNginxAnnotationSeconds(i.object, 'proxy-send-timeout'),
      alb.from === 'annotation' ? alb : undefined,
    ].flatMap((s) => (s ? [{ seconds: s.seconds, origin: s.origin, ingress: labelOf(i.object) }] : []));
  });
  return found.sort((a, b) => b.seconds - a.seconds)[0];
}

/**
 * A WebSocket, SSE or long-polling connection has no end of its own: the server's graceful stop
 * waits for it until SIGKILL ends the grace period, and then the client sees it reset instead of
 * closed (docs/reference/edge-proxies.md#long-lived-connections). Only the app can close such
 * streams in time, so that clients reconnect to another pod.
 */
export const longLivedConnectionsOutlastGrace = defineRule({
  target: 'workload',
  meta: {
    id: 'long-lived-connections-outlast-grace',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'shutdown',
    summary: 'WebSockets or streams the proxy keeps open longer than the grace period are reset by SIGKILL unless the app closes them',
    messages: {
      websocket:
        '{{signals}}: WebSocket connections stay open as long as their clients keep them, longer than the {{window}} s the pod gets after its stop signal ' +
        '({{grace}}{{preStop}}); the kubelet then SIGKILLs it and every connection still open is reset, unless the app closes them itself when it gets SIGTERM',
      longTimeout:
        '{{origin}} on {{ingress}} lets a request or stream run {{timeout}} s, longer than the {{window}} s the pod gets after its stop signal ' +
        '({{grace}}{{preStop}}); streams (SSE, long polling, WebSockets) still open then are reset by SIGKILL, unless the app closes them itself when it gets SIGTERM',
    },
    fixes: {
      closeStreams:
        'on SIGTERM, close long-lived connections from the app (WebSocket close frame 1001 "going away", the end of the SSE stream, HTTP/2 GOAWAY) so clients reconnect ' +
        'to another pod, and keep terminationGracePeriodSeconds above the time that takes',
      closeStreamsOrRaiseGrace:
        'on SIGTERM, close long-lived connections from the app (WebSocket close frame 1001 "going away", the end of the SSE stream, HTTP/2 GOAWAY) so clients reconnect ' +
        'to another pod; or, if those requests must finish, raise terminationGracePeriodSeconds to {{needed}}',
    },
  },
  check(w) {
    if (!w.serving) return [];
    const servers = trafficContainers(w);
    if (servers.length === 0) return [];
    const preStop = Math.max(0, ...servers.map((c) => preStopDelaySeconds(preStopOf(c)) ?? 0));
    const grace = graceOf(w);
    const window = shutdownTimeline(grace.seconds, preStop).appWindow;
    const common = {
      window,
      grace: `terminationGracePeriodSeconds ${grace.seconds}${grace.explicit ? '' : ', the default'}`,
      preStop: preStop > 0 ? `, less the ${preStop} s preStop` : '',
    };
    const ws = websocketSignals(w);
    if (ws.length > 0) return [{ path: gracePath(w), messageId: 'websocket', data: { ...common, signals: ws.join('; ') }, fixId: 'closeStreams' }];
    const timeout = longestTimeout(w);
    if (!timeout || timeout.seconds <= window) return [];
    return [
      {
        path: gracePath(w),
        messageId: 'longTimeout',
        data: { ...common, origin: timeout.origin, ingress: timeout.ingress, timeout: timeout.seconds, needed: Math.ceil(preStop + timeout.seconds) },
        fixId: 'closeStreamsOrRaiseGrace',
      },
    ];
  },
});

export default longLivedConnectionsOutlastGrace;
