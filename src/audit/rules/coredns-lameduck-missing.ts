import { healthDirectives, isCoreDnsImage, longestLameduck, mountedConfigMaps } from '../../k8s/corefile.js';
import type { ObjectView, WorkloadView } from '../types.js';
import { defineRule } from './support/defineRule.js';

/** Whether the workload's pods mount the ConfigMap (as a volume or a projected source). */
function mounts(w: WorkloadView, configMap: ObjectView): boolean {
  return w.namespace === configMap.namespace && mountedConfigMaps(w.podSpec).includes(configMap.name);
}

const runsCoreDns = (w: WorkloadView) => w.containers.some((c) => isCoreDnsImage(c.container.image));

/**
 * CoreDNS stops its servers as soon as it gets SIGTERM unless the health plugin's `lameduck`
 * delays the shutdown (coredns.io/plugins/health); the endpoint of the terminating pod is removed
 * asynchronously, so kube-proxy keeps sending queries to a process that no longer answers. A
 * ConfigMap is judged as CoreDNS's when it is named `coredns` or a CoreDNS image mounts it, so a
 * supplementary `coredns-custom`/`coredns-user` file or a node-local cache's Corefile is not.
 */
export const corednsLameduckMissing = defineRule({
  target: 'object',
  kinds: ['ConfigMap'],
  meta: {
    id: 'coredns-lameduck-missing',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'addons',
    summary: 'a CoreDNS Corefile without health lameduck stops answering while the DNS Service still routes to the pod',
    messages: {
      noLameduck:
        '{{where}}, so on SIGTERM CoreDNS stops answering at once while the DNS Service still routes queries to the pod: ' +
        '{{clients}} see lookup timeouts during every rollout, scale-down or node drain of {{server}}',
      lameduckShort:
        'lameduck {{lameduck}} (Corefile line {{line}}) is shorter than the assumed endpoint propagation of {{propagationSeconds}}s: ' +
        'CoreDNS exits while the DNS Service may still route queries to the pod, so {{clients}} can see lookup timeouts during each rollout',
    },
    fixes: {
      addLameduck:
        'in one server block (it applies to the whole process) write `health {` / `lameduck {{suggestedSeconds}}s` / `}`, ' +
        'and keep terminationGracePeriodSeconds above it',
      raiseLameduck: 'raise lameduck to at least {{suggestedSeconds}}s, and keep terminationGracePeriodSeconds above it',
    },
  },
  check(configMap, settings, { workloads }) {
    const corefile = (configMap.object as { data?: Record<string, unknown> }).data?.Corefile;
    if (typeof corefile !== 'string') return [];
    const mounting = workloads.filter((w) => mounts(w, configMap));
    const coreDnsWorkloads = mounting.filter(runsCoreDns);
    if (configMap.name !== 'coredns' && coreDnsWorkloads.length === 0) return [];
    if (configMap.name === 'coredns' && mounting.length > 0 && coreDnsWorkloads.length === 0) return [];
    const clusterDns =
      configMap.namespace === 'kube-system' &&
      (configMap.name === 'coredns' ||
        coreDnsWorkloads.some((w) => (w.template.metadata?.labels as Record<string, unknown> | undefined)?.['k8s-app'] === 'kube-dns'));
    const clients = clusterDns ? 'pods across the cluster' : 'its clients';
    const server = coreDnsWorkloads.length > 0 ? coreDnsWorkloads.map((w) => `${w.kind}/${w.name}`).join(', ') : 'CoreDNS';
    const suggestedSeconds = Math.max(5, Math.ceil(settings.propagationSeconds));
    const health = healthDirectives(corefile);
    const withLameduck = health.filter((h) => h.lameduck !== undefined);
    const path = ['data', 'Corefile'];
    if (withLameduck.length === 0) {
      const where =
        health.length > 0 ? `its health plugin (Corefile line ${health[0]!.line}) sets no lameduck` : 'the Corefile has no health plugin (and so no lameduck)';
      return [{ path, messageId: 'noLameduck', data: { where, clients, server, suggestedSeconds }, fixId: 'addLameduck' }];
    }
    const longest = longestLameduck(corefile);
    if (!longest || longest.seconds >= settings.propagationSeconds) return [];
    return [
      {
        path,
        messageId: 'lameduckShort',
        data: {
          lameduck: longest.duration,
          line: longest.line,
          propagationSeconds: settings.propagationSeconds,
          clients,
          suggestedSeconds,
        },
        fixId: 'raiseLameduck',
      },
    ];
  },
});

export default corednsLameduckMissing;
