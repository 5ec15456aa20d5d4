/**
 * Go's duration syntax (`time.ParseDuration`: `5s`, `1m30s`, `500ms`), the form Kubernetes
 * add-ons use in their flags and annotations: CoreDNS's `lameduck`, Linkerd's
 * `config.linkerd.io/shutdown-grace-period`, Dapr's `dapr.io/block-shutdown-duration`, Istio's
 * proxy-config durations (https://pkg.go.dev/time#ParseDuration).
 */
const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration in seconds; undefined when the text is not one. */
export function goDurationSeconds(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}
