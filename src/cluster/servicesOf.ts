import { selectorMatches, type KubeObject } from '../k8s/objects.js';

/**
 * Services that send traffic to a Deployment's pods: same namespace, a non-empty selector that
 * matches the pod template's labels. Services without a selector have hand-made endpoints and
 * are not ours to follow.
 */
export function servicesSelecting(deployment: KubeObject, services: readonly KubeObject[]): KubeObject[] {
  const labels = (deployment.spec?.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
  const namespace = deployment.metadata?.namespace;
  return services.filter((svc) => {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) return false;
    if (namespace !== undefined && svc.metadata?.namespace !== undefined && svc.metadata.namespace !== namespace) return false;
    return selectorMatches(selector, labels);
  });
}

/** The label selector string (`a=b,c in (d)`) for a Deployment's spec.selector, for LIST/WATCH of its pods. */
export function labelSelectorString(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined,
): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.join(',');
}
