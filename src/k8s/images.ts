/**
 * What we know about container images: which servers need which graceful stop signal, which
 * official images already set it, which images have no shell or `sleep`, and which are
 * sidecar proxies (kubernetes-semantics §6.2, §5.3).
 */
export interface ImageRef {
  /** e.g. `docker.io/library/nginx` normalised to `nginx`; `gcr.io/distroless/nodejs20-debian12` kept whole. */
  repository: string;
  /** Last path segment, e.g. `nginx`, `cloud-sql-proxy`. */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repository = rest.replace(/^(docker\.io\/)?(library\/)?/, '');
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  const ref: ImageRef = { repository, name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export interface ServerKnowledge {
  server: string;
  /** The signal that makes it finish in-flight work and exit. */
  gracefulSignal: string;
  /** What SIGTERM does to it, for messages. */
  onSigterm: string;
  /** Source section in kubernetes-semantics.md. */
  source: string;
}

/** Servers by the executable or image name that identifies them. */
export const SERVERS: Readonly<Record<string, ServerKnowledge>> = {
  nginx: { server: 'nginx', gracefulSignal: 'SIGQUIT', onSigterm: 'fast shutdown: in-flight requests are cut', source: '§6.2 nginx signals' },
  openresty: {
    server: 'openresty',
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'fast shutdown (nginx core): in-flight requests are cut',
    source: '§6.2 nginx signals',
  },
  httpd: { server: 'httpd', gracefulSignal: 'SIGWINCH', onSigterm: 'stop now: children killed, in-flight requests aborted', source: '§6.2 Apache httpd' },
  apache2: { server: 'httpd', gracefulSignal: 'SIGWINCH', onSigterm: 'stop now: children killed, in-flight requests aborted', source: '§6.2 Apache httpd' },
  haproxy: { server: 'haproxy', gracefulSignal: 'SIGUSR1', onSigterm: 'hard stop', source: '§6.2 HAProxy' },
  'php-fpm': {
    server: 'php-fpm',
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'immediate termination of workers',
    source: '§6.2 common consequence; php-fpm docs (QUIT = graceful)',
  },
};

/** Looks a server up by image name or executable basename (`/usr/sbin/nginx` → nginx, `php-fpm8.2` → php-fpm). */
export function serverFor(nameOrExecutable: string): ServerKnowledge | undefined {
  const base = nameOrExecutable.slice(nameOrExecutable.lastIndexOf('/') + 1).toLowerCase();
  if (SERVERS[base]) return SERVERS[base];
  if (/^php-?fpm/.test(base) || (base.startsWith('php') && base.includes('fpm'))) return SERVERS['php-fpm'];
  if (base.startsWith('nginx')) return SERVERS.nginx;
  if (base.startsWith('httpd')) return SERVERS.httpd;
  if (base.startsWith('haproxy')) return SERVERS.haproxy;
  return undefined;
}

/**
 * The STOPSIGNAL an official image sets, by tag where history matters:
 * nginx SIGQUIT from 1.19.5 (SIGTERM before), httpd SIGWINCH, haproxy SIGUSR1 (§6.2).
 * Returns undefined when we do not know the image.
 */
export function officialImageStopSignal(ref: ImageRef): string | undefined {
  const official = !ref.repository.includes('/');
  if (!official) return undefined;
  switch (ref.name) {
    case 'nginx': {
      const v = leadingVersion(ref.tag);
      if (v && compareVersions(v, [1, 19, 5]) < 0) return 'SIGTERM';
      return 'SIGQUIT';
    }
    case 'httpd':
      return 'SIGWINCH';
    case 'haproxy':
      return 'SIGUSR1';
    default:
      return undefined;
  }
}

function leadingVersion(tag: string | undefined): number[] | undefined {
  if (!tag) return undefined;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Images with no shell and no `sleep` binary: an exec preStop `sleep` fails there (§5.1, Rule of Uptime 4). */
export function isShellless(ref: ImageRef, tagHint?: string): boolean {
  const r = ref.repository;
  if (r === 'scratch') return true;
  if (/(^|\/)distroless\//.test(r) || r.startsWith('gcr.io/distroless') || r.includes('distroless')) {
    // distroless ":debug" variants ship busybox.
    return !(ref.tag ?? tagHint ?? '').includes('debug');
  }
  if (r.startsWith('cgr.dev/chainguard/') && !(ref.tag ?? '').includes('dev')) return true;
  return false;
}

export interface SidecarProxyKnowledge {
  proxy: string;
  /** How to make it outlive the app's drain (flag, env or annotation). */
  drainSetting: string;
  /** Matchers for args/env that show the drain setting is configured. */
  configuredBy: RegExp[];
}

/** Known sidecar proxies that exit on SIGTERM before the app has drained (§6.2, §5.3; talk: "Synchronize shutdown of side-cars"). */
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

/**
 * The server an image runs, judged by its name and, for language images, its tag variant:
 * `nginx:1.27` → nginx, `php:8.3-fpm` → php-fpm (official php images name the variant in the tag).
 */
export function serverForImage(ref: ImageRef): ServerKnowledge | undefined {
  if (ref.name === 'php' && /(^|-)fpm(-|$)/.test(ref.tag ?? '')) return SERVERS['php-fpm'];
  return serverFor(ref.name);
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
