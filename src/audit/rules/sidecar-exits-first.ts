import { featureAvailable } from '../../k8s/features.js';
import { sidecarProxyFor } from '../../k8s/images.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { classifyPreStop } from '../../k8s/preStop.js';
import type { RuleResult, WorkloadRule } from '../types.js';
import { nonProxyContainers } from './support/containers.js';
import { preStopOf, seconds } from './support/drain.js';
import { records, strings } from './support/fields.js';

/**
 * The kubelet stops all regular containers in parallel (§1.2 step 3): a proxy sidecar without a
 * preStop gets SIGTERM at t≈0 and exits (§6.2 Envoy/Istio, cloud-sql-proxy) while the app is
 * still serving its last requests through it. Native sidecars (§5.3) are stopped only after every
 * main container has exited.
 */
export const sidecarExitsFirst: WorkloadRule = {
  target: 'workload',
  meta: {
    id: 'sidecar-exits-first',
    ruleOfUptime: 7,
    // An error, not a warning: the rule only fires for a known proxy with no drain setting and a
    // preStop shorter than the app's drain, and the lab's sidecar-race scenario drops requests in
    // exactly that configuration (test/lab/agreement.test.ts).
    severity: 'error',
    summary: 'a proxy sidecar runs as a regular container and exits before the app has drained',
  },
  check(w, settings) {
    const apps = nonProxyContainers(w);
    if (apps.length === 0) return [];
    const annotations = Object.entries(w.template.metadata?.annotations ?? {}).map(([k, v]) => `${k}=${v}`);
    // The app needs the proxy until its own preStop and drain are over.
    const appDone = Math.max(...apps.map((a) => (preStopDelaySeconds(preStopOf(a)) ?? 0) + w.drainSeconds));
    const results: RuleResult[] = [];
    for (const c of w.containers) {
      if (c.role !== 'main' || typeof c.container.image !== 'string') continue;
      const proxy = sidecarProxyFor(c.container.image, c.name);
      if (!proxy) continue;
      const env = records<{ name?: unknown; value?: unknown }>(c.container.env).map((e) => `${String(e.name)}=${String(e.value ?? '')}`);
      const haystack = [...strings(c.container.command), ...strings(c.container.args), ...env, ...annotations].join(' ');
      if (proxy.configuredBy.some((r) => r.test(haystack))) continue;
      const handler = preStopOf(c);
      // A hook we cannot time (a wait loop, an HTTP call) is assumed to be synchronised on purpose.
      if (handler && classifyPreStop(handler).kind === 'opaque') continue;
      const proxyStops = preStopDelaySeconds(handler) ?? 0;
      if (proxyStops >= appDone) continue;
      const native = featureAvailable('nativeSidecars', settings.kubernetesVersion);
      results.push({
        path: c.path,
        container: c.name,
        message:
          `"${c.name}" (${proxy.proxy}) is a regular container: the kubelet stops all containers in parallel (§1.2), so it gets SIGTERM at ${seconds(proxyStops)} and exits ` +
          `while ${apps.map((a) => `"${a.name}"`).join(', ')} still needs it until about ${seconds(appDone)} (preStop + ${seconds(w.drainSeconds)} drain): the app's last requests lose their connections`,
        fix: native
          ? `make it a native sidecar (move it to initContainers with restartPolicy: Always, §5.3): it is stopped only after the app has exited; or configure ${proxy.drainSetting}`
          : `configure ${proxy.drainSetting}, or give it a preStop that outlasts the app (sleep ${Math.ceil(appDone)})`,
      });
    }
    return results;
  },
};

export default sidecarExitsFirst;
