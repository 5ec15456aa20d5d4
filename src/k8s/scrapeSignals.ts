/**
 * What marks a port as a metrics endpoint that only a scraper calls. A port scraped on the app's
 * own port (`/metrics` beside the API) still serves users, so only the signals below decide
 * (docs/reference/service-consumers.md#metrics-scraping).
 */

export interface NameSignal {
  pattern: RegExp;
  /** Where the convention is used or documented. */
  source: string;
}

/**
 * Port names (Service port, targetPort or container port) that say "metrics". `prometheus` is not
 * one: a Prometheus server names its query port so, and Grafana's queries are user traffic.
 */
export const METRICS_PORT_NAMES: readonly NameSignal[] = [
  { pattern: /^metrics$/, source: 'https://github.com/argoproj/argo-cd/blob/master/manifests/install.yaml (Service argocd-metrics, port "metrics")' },
  {
    pattern: /^https?-metrics$/,
    source:
      'https://github.com/kubernetes/kube-state-metrics/blob/main/examples/standard/service.yaml ("http-metrics"); https://github.com/prometheus-operator/kube-prometheus/tree/main/manifests (kubelet "https-metrics")',
  },
  { pattern: /-metrics$/, source: 'https://github.com/stefanprodan/podinfo/tree/master/deploy/bases (container port "http-metrics")' },
  { pattern: /^metrics-/, source: 'https://github.com/argoproj/argo-cd/blob/master/manifests/ha/install.yaml (haproxy container port "metrics-port")' },
];

/** Service names that say the Service exists for scraping (`argocd-metrics`, `controller-manager-metrics-service`). */
export const METRICS_SERVICE_NAMES: readonly NameSignal[] = [
  {
    pattern: /(^|-)metrics(-service|-svc)?$/,
    source:
      'kubebuilder scaffolding (config/default/metrics_service.yaml: controller-manager-metrics-service); https://github.com/argoproj/argo-cd/blob/master/manifests/install.yaml (argocd-metrics)',
  },
];

/**
 * The Prometheus example configuration's annotations (`prometheus.io/scrape`, `prometheus.io/port`,
 * `prometheus.io/path`): a convention of
 * https://github.com/prometheus/prometheus/blob/main/documentation/examples/prometheus-kubernetes.yml,
 * not a Kubernetes API. Only `prometheus.io/port` names a port; `scrape: "true"` alone scrapes
 * every port, the app's included, so it proves nothing about who else calls them.
 */
export const PROMETHEUS_PORT_ANNOTATION = 'prometheus.io/port';

export function isMetricsPortName(name: string | undefined): boolean {
  return name !== undefined && METRICS_PORT_NAMES.some((s) => s.pattern.test(name.toLowerCase()));
}

export function isMetricsServiceName(name: string | undefined): boolean {
  return name !== undefined && METRICS_SERVICE_NAMES.some((s) => s.pattern.test(name.toLowerCase()));
}
