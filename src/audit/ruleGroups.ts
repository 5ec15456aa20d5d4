/**
 * What a rule looks at, as a platform engineer goes through a service: the image and its main
 * process, the pod template's probes, its shutdown, the rollout (and the controllers other than
 * Deployment that roll pods out), what evicts or scales it, the traffic path in front of it, the
 * mesh around it, the cluster's shared add-ons, and the API itself. Each rule's meta names one group (`looksAt`); `zerodrop rules` and docs/rules/README.md
 * list the rules under these headings, in this order.
 */
export const RULE_GROUPS = [
  { id: 'images', title: 'Images and processes: Dockerfiles, PID 1 and stop signals' },
  { id: 'probes', title: 'Pod templates: probes' },
  { id: 'shutdown', title: 'Pod templates: preStop, grace period and drain' },
  { id: 'rollout', title: 'Rollout strategy and capacity' },
  { id: 'controllers', title: 'Other rollout controllers: Argo Rollouts, OpenShift DeploymentConfig, Knative' },
  { id: 'disruption', title: 'Disruption budgets and autoscalers' },
  { id: 'traffic', title: 'Services and traffic paths: Services, ingress and load balancers' },
  { id: 'meshes', title: 'Sidecars and meshes' },
  { id: 'addons', title: 'Cluster add-ons: ingress controllers, DNS and webhooks' },
  { id: 'api', title: 'API versions and fields' },
] as const;

export type RuleGroupId = (typeof RULE_GROUPS)[number]['id'];

/** Where a rule without `looksAt` is listed (a test fails on every such rule, naming it). */
export const UNGROUPED = { id: 'ungrouped', title: 'Not yet grouped' } as const;

/** The metas under each group's heading, in the groups' order and the metas' own order; empty groups left out. */
export function groupRules<T extends { looksAt?: RuleGroupId }>(metas: readonly T[]): Array<{ id: string; title: string; rules: T[] }> {
  const groups: Array<{ id: string; title: string; rules: T[] }> = [...RULE_GROUPS, UNGROUPED].map((g) => ({ id: g.id, title: g.title, rules: [] }));
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const m of metas) byId.get(m.looksAt && byId.has(m.looksAt) ? m.looksAt : UNGROUPED.id)!.rules.push(m);
  return groups.filter((g) => g.rules.length > 0);
}
