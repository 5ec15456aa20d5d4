/**
 * What we know about an image from its reference: the row of src/k8s/imageTable.ts it is (matched
 * by exact repository and tag variant), the STOPSIGNAL it sets, the /bin/sh it ships and the
 * server it runs; and the sidecar proxies that exit on SIGTERM before the app has drained
 * (docs/reference/signals.md#image-stop-signals).
 */
import { parseImageRef, tagInRange, type ImageRef } from './imageRef.js';
// Where callers have always found them.
export { parseImageRef, type ImageRef } from './imageRef.js';
import { IMAGE_TABLE, type ImageRow } from './imageTable.js';
import { SERVERS, type ServerKnowledge } from './servers.js';
import type { ImageShell } from './shells.js';

function repositoryMatches(pattern: string, repository: string): boolean {
  return pattern.endsWith('/*') ? repository.startsWith(pattern.slice(0, -1)) && repository.length > pattern.length - 1 : pattern === repository;
}

/**
 * The table's rows by exact repository, and the rows with a `prefix/*` pattern, each as table
 * positions in order: every rule asks about every container's image, and most images are not in
 * the table, so a scan of every row and pattern per question is the audit's slowest lookup.
 */
const ROWS_BY_REPOSITORY = new Map<string, number[]>();
const WILDCARD_ROWS: Array<{ pattern: string; index: number }> = [];
IMAGE_TABLE.forEach((row, index) => {
  for (const r of row.repositories) {
    if (r.endsWith('/*')) WILDCARD_ROWS.push({ pattern: r, index });
    else {
      const list = ROWS_BY_REPOSITORY.get(r) ?? [];
      if (list.at(-1) !== index) list.push(index);
      ROWS_BY_REPOSITORY.set(r, list);
    }
  }
});

/** The table's row for an image, or undefined: an image is known by its exact repository, never by a name it contains. */
export function knownImage(ref: ImageRef): ImageRow | undefined {
  // The first row in table order whose repository and tag match, as a scan of the table would find.
  const tagMatches = (row: ImageRow) => !row.tags || row.tags.test(ref.tag ?? '');
  let first = ROWS_BY_REPOSITORY.get(ref.repository)?.find((i) => tagMatches(IMAGE_TABLE[i]!));
  for (const { pattern, index } of WILDCARD_ROWS) {
    if (first !== undefined && index >= first) break;
    if (repositoryMatches(pattern, ref.repository) && tagMatches(IMAGE_TABLE[index]!)) first = index;
  }
  return first === undefined ? undefined : IMAGE_TABLE[first];
}

/**
 * The STOPSIGNAL a known image sets for its tag ('SIGTERM' when it sets none, the runtime's
 * default), with the row that says so; undefined for an image the table does not know.
 */
export function imageStopSignal(ref: ImageRef): { signal: string; row: ImageRow } | undefined {
  const row = knownImage(ref);
  if (!row) return undefined;
  const hit = row.stopSignal?.find((s) => !s.versions || tagInRange(ref.tag, s.versions));
  return { signal: hit?.signal ?? 'SIGTERM', row };
}

/** The image's /bin/sh, when the table knows it for this tag. */
export function imageShell(ref: ImageRef): ImageShell | undefined {
  return knownImage(ref)?.shell?.find((s) => !s.tags || s.tags.test(ref.tag ?? ''))?.shell;
}

/** Images with no shell and no `sleep` binary: an exec preStop `sleep` fails there (docs/reference/feature-versions.md#sleep-action). */
export function isShellless(ref: ImageRef): boolean {
  return imageShell(ref) === 'none';
}

/** The server a known image runs by default (`nginx:1.27` → nginx, `php:8.3-fpm` → php-fpm; `nginx/nginx-ingress` runs a Go controller). */
export function serverForImage(ref: ImageRef): ServerKnowledge | undefined {
  const runs = knownImage(ref)?.runs;
  return runs?.kind === 'server' ? SERVERS[runs.server] : undefined;
}

export interface SidecarProxyKnowledge {
  proxy: string;
  /** How to make it outlive the app's drain (flag, env or annotation). */
  drainSetting: string;
  /** Matchers for args/env that show the drain setting is configured. */
  configuredBy: RegExp[];
}

/** Known sidecar proxies that exit on SIGTERM before the app has drained (docs/reference/signals.md#image-stop-signals, docs/reference/feature-versions.md#native-sidecars; talk: "Synchronize shutdown of side-cars"). */
export const SIDECAR_PROXIES: readonly SidecarProxyKnowledge[] = [
  {
    proxy: 'cloud-sql-proxy',
    drainSetting: '--max-sigterm-delay (v2) / -term_timeout (v1)',
    configuredBy: [/--max-sigterm-delay/, /-term_timeout/, /--min-sigterm-delay/, /--quitquitquit/],
  },
  {
    proxy: 'istio-proxy',
    drainSetting: 'EXIT_ON_ZERO_ACTIVE_CONNECTIONS=true or terminationDrainDuration',
    configuredBy: [/EXIT_ON_ZERO_ACTIVE_CONNECTIONS/, /terminationDrainDuration/, /TERMINATION_DRAIN_DURATION/],
  },
  { proxy: 'envoy', drainSetting: '--drain-time-s with a preStop that waits for the app', configuredBy: [/--drain-time-s/, /--drain-strategy/] },
  {
    proxy: 'linkerd-proxy',
    drainSetting: 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds',
    configuredBy: [/proxy-wait-before-exit/, /LINKERD2_PROXY_SHUTDOWN_GRACE_PERIOD/],
  },
  { proxy: 'vault-agent', drainSetting: 'a preStop sleep that outlasts the app', configuredBy: [] },
];

export function sidecarProxyFor(image: string, containerName?: string): SidecarProxyKnowledge | undefined {
  const ref = parseImageRef(image);
  const hay = `${ref.repository} ${containerName ?? ''}`.toLowerCase();
  if (/cloud-?sql-?proxy|cloudsql-docker\/gce-proxy/.test(hay)) return SIDECAR_PROXIES[0];
  if (/istio.*proxy|proxyv2/.test(hay)) return SIDECAR_PROXIES[1];
  if (/(^|\/)envoy|envoyproxy/.test(hay)) return SIDECAR_PROXIES[2];
  if (/linkerd.*proxy/.test(hay)) return SIDECAR_PROXIES[3];
  if (/vault(?!.*operator)/.test(ref.repository) && /agent|vault/.test(hay)) return SIDECAR_PROXIES[4];
  return undefined;
}

export interface IngressControllerKnowledge {
  controller: string;
  /** Matches the image repository (registry and path, without tag). */
  image: RegExp;
  /** Where the image is published. */
  source: string;
}

/**
 * Ingress controllers by image: the Deployment that receives a cluster's external traffic and
 * forwards it to the Services an Ingress names, rather than an application the load reaches
 * through them. The list follows Kubernetes' own list of controllers
 * (https://kubernetes.io/docs/concepts/services-networking/ingress-controllers/).
 */
export const INGRESS_CONTROLLERS: readonly IngressControllerKnowledge[] = [
  { controller: 'ingress-nginx', image: /(^|\/)ingress-nginx\/controller$|nginx-ingress-controller$/, source: 'https://kubernetes.github.io/ingress-nginx/' },
  { controller: 'NGINX Ingress Controller', image: /(^|\/)nginx\/nginx-ingress$|(^|\/)nginx-ic\//, source: 'https://docs.nginx.com/nginx-ingress-controller/' },
  { controller: 'Traefik', image: /(^|\/)traefik$/, source: 'https://doc.traefik.io/traefik/providers/kubernetes-ingress/' },
  {
    controller: 'HAProxy Kubernetes Ingress',
    image: /(^|\/)haproxytech\/kubernetes-ingress$|(^|\/)haproxy-ingress$/,
    source: 'https://github.com/haproxytech/kubernetes-ingress',
  },
  { controller: 'Kong', image: /(^|\/)kong\/kubernetes-ingress-controller$/, source: 'https://github.com/Kong/kubernetes-ingress-controller' },
  { controller: 'Contour', image: /(^|\/)projectcontour\/contour$/, source: 'https://projectcontour.io/' },
  {
    controller: 'Emissary-ingress',
    image: /(^|\/)emissaryingress\/emissary$|(^|\/)datawire\/ambassador$/,
    source: 'https://www.getambassador.io/docs/emissary',
  },
  { controller: 'Skipper', image: /(^|\/)skipper$/, source: 'https://github.com/zalando/skipper' },
];

/** The ingress controller an image runs, or undefined (`traefik:v3.1` → Traefik). */
export function ingressControllerFor(image: string): IngressControllerKnowledge | undefined {
  const { repository } = parseImageRef(image);
  return INGRESS_CONTROLLERS.find((c) => c.image.test(repository));
}
