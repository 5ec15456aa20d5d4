/**
 * Known images, one row each: which repositories (matched exactly, never as a substring), what
 * their default ENTRYPOINT and CMD really run, the STOPSIGNAL they set by tag version, and the
 * /bin/sh they ship, with the upstream source of every fact. The audit's rules and the lab read
 * this table through src/k8s/images.ts; adding a server image is adding a row.
 */
import type { VersionRange } from './imageRef.js';
import type { ServerId } from './servers.js';
import type { ImageShell } from './shells.js';
import type { RuntimeId } from './runtimes.js';

export type ImageRuns =
  /** A server of src/k8s/servers.ts: its stop-signal semantics apply. */
  | { kind: 'server'; server: ServerId }
  /** A program that stops on SIGTERM itself (Go controllers, exporters). */
  | { kind: 'program'; program: string; onSigterm: string }
  /** A language base image: the app's own command decides what runs. */
  | { kind: 'runtime'; runtime: RuntimeId | 'php' | 'go' | 'ruby' | 'dotnet' }
  /** An operating-system base image. */
  | { kind: 'base' };

export interface ImageRow {
  id: string;
  /**
   * Repositories in the form parseImageRef gives (Docker Hub's short form for Hub images). A
   * trailing `/*` matches every repository under that path (`gcr.io/distroless/*`).
   */
  repositories: readonly string[];
  /** Only tags matching this belong to the row (php's `-fpm` tags); other tags fall to later rows. */
  tags?: RegExp;
  runs: ImageRuns;
  /** The image's ENTRYPOINT, and whether it ends by exec'ing its arguments (`exec "$@"`). */
  entrypoint?: { argv: readonly string[]; execsArguments: boolean };
  cmd?: readonly string[];
  /** STOPSIGNAL by tag version, first match wins. No entry: the image sets none, so the runtime sends SIGTERM. */
  stopSignal?: ReadonlyArray<{ versions?: VersionRange; signal: string }>;
  /** /bin/sh by tag, first match wins; no entry matching: unknown. */
  shell?: ReadonlyArray<{ tags?: RegExp; shell: ImageShell }>;
  sources: readonly string[];
}

const ALPINE = /(^|-)alpine/;
/** Debian- or Ubuntu-based unless the tag names another base: dash is /bin/sh. */
const DEBIAN_UNLESS_ALPINE: ImageRow['shell'] = [{ tags: ALPINE, shell: 'busybox-ash' }, { shell: 'dash' }];

/** nginx's official images: STOPSIGNAL SIGTERM from May 2017 until 1.19.5 (and the 1.18 stable line) switched to SIGQUIT in November 2020. */
const NGINX_STOP_SIGNAL: ImageRow['stopSignal'] = [
  { versions: { below: '1.18' }, signal: 'SIGTERM' },
  { versions: { from: '1.19', below: '1.19.5' }, signal: 'SIGTERM' },
  { signal: 'SIGQUIT' },
];

/** Traefik's shutdown, whichever image runs it (pkg/server/server_entrypoint_tcp.go). */
const TRAEFIK_RUNS: ImageRuns = {
  kind: 'program',
  program: 'Traefik (Go)',
  onSigterm: 'keeps accepting for requestAcceptGraceTimeout (default 0), then closes its listeners and gives active requests graceTimeOut (default 10 s)',
};

export const IMAGE_TABLE: readonly ImageRow[] = [
  {
    id: 'nginx',
    repositories: ['nginx'],
    runs: { kind: 'server', server: 'nginx' },
    entrypoint: { argv: ['/docker-entrypoint.sh'], execsArguments: true },
    cmd: ['nginx', '-g', 'daemon off;'],
    stopSignal: NGINX_STOP_SIGNAL,
    shell: DEBIAN_UNLESS_ALPINE,
    sources: [
      'https://github.com/nginxinc/docker-nginx/commit/16ec71e7e8452fa28a95d014807f95605c09a8fe',
      'https://github.com/nginxinc/docker-nginx/commit/3fb70ddd7094c1fdd50cc83d432643dc10ab6243',
      'https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/docker-entrypoint.sh',
    ],
  },
  {
    id: 'nginx-unprivileged',
    repositories: ['nginxinc/nginx-unprivileged', 'public.ecr.aws/nginx/nginx-unprivileged'],
    runs: { kind: 'server', server: 'nginx' },
    entrypoint: { argv: ['/docker-entrypoint.sh'], execsArguments: true },
    cmd: ['nginx', '-g', 'daemon off;'],
    stopSignal: NGINX_STOP_SIGNAL,
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/nginxinc/docker-nginx-unprivileged/commit/015ce722a117229a49910a394abeb6563e85018e'],
  },
  {
    id: 'httpd',
    repositories: ['httpd'],
    runs: { kind: 'server', server: 'httpd' },
    cmd: ['httpd-foreground'],
    // STOPSIGNAL WINCH from 2.4.41 (August 2019); 2.2 and older 2.4 builds stop with SIGTERM.
    stopSignal: [{ versions: { below: '2.4.41' }, signal: 'SIGTERM' }, { signal: 'SIGWINCH' }],
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/httpd/commit/3ebff8dadf1e38dbe694ea0b8f379f6b8bcd993e'],
  },
  {
    id: 'haproxy',
    repositories: ['haproxy'],
    runs: { kind: 'server', server: 'haproxy' },
    entrypoint: { argv: ['docker-entrypoint.sh'], execsArguments: true },
    cmd: ['haproxy', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
    // STOPSIGNAL SIGUSR1 from August 2018, when the lines were at 1.5.19, 1.6.14, 1.7.11 and 1.8.13.
    stopSignal: [
      { versions: { below: '1.5' }, signal: 'SIGTERM' },
      { versions: { from: '1.5', below: '1.5.19' }, signal: 'SIGTERM' },
      { versions: { from: '1.6', below: '1.6.14' }, signal: 'SIGTERM' },
      { versions: { from: '1.7', below: '1.7.11' }, signal: 'SIGTERM' },
      { versions: { from: '1.8', below: '1.8.13' }, signal: 'SIGTERM' },
      { signal: 'SIGUSR1' },
    ],
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/haproxy/commit/063fd36e2ae3b9770bb067f43080f3daeb7cfa1c'],
  },
  {
    id: 'php-fpm',
    repositories: ['php'],
    tags: /(^|-)fpm(-|$)/,
    runs: { kind: 'server', server: 'php-fpm' },
    entrypoint: { argv: ['docker-php-entrypoint'], execsArguments: true },
    cmd: ['php-fpm'],
    // STOPSIGNAL SIGQUIT from April 2019 (7.1.28, 7.2.17, 7.3.4 and later); 5.x and 7.0 never got it.
    stopSignal: [
      { versions: { below: '7.1' }, signal: 'SIGTERM' },
      { versions: { from: '7.1', below: '7.1.28' }, signal: 'SIGTERM' },
      { versions: { from: '7.2', below: '7.2.17' }, signal: 'SIGTERM' },
      { versions: { from: '7.3', below: '7.3.4' }, signal: 'SIGTERM' },
      { signal: 'SIGQUIT' },
    ],
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/php/commit/e21810a0507bf627f639b0ff90ecc269692d0ac2'],
  },
  {
    id: 'php-apache',
    repositories: ['php'],
    tags: /(^|-)apache(-|$)/,
    runs: { kind: 'server', server: 'httpd' },
    entrypoint: { argv: ['docker-php-entrypoint'], execsArguments: true },
    cmd: ['apache2-foreground'],
    // STOPSIGNAL WINCH from August 2019 (7.1.31, 7.2.21, 7.3.8 and later).
    stopSignal: [
      { versions: { below: '7.1' }, signal: 'SIGTERM' },
      { versions: { from: '7.1', below: '7.1.31' }, signal: 'SIGTERM' },
      { versions: { from: '7.2', below: '7.2.21' }, signal: 'SIGTERM' },
      { versions: { from: '7.3', below: '7.3.8' }, signal: 'SIGTERM' },
      { signal: 'SIGWINCH' },
    ],
    shell: [{ shell: 'dash' }],
    sources: ['https://github.com/docker-library/php/commit/9e50ad06426e7de8213ec59ce96dbeab38266dfe'],
  },
  {
    id: 'php',
    repositories: ['php'],
    runs: { kind: 'runtime', runtime: 'php' },
    entrypoint: { argv: ['docker-php-entrypoint'], execsArguments: true },
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/php'],
  },
  {
    id: 'openresty',
    repositories: ['openresty/openresty'],
    runs: { kind: 'server', server: 'openresty' },
    cmd: ['/usr/local/openresty/bin/openresty', '-g', 'daemon off;'],
    stopSignal: [{ versions: { below: '1.13.6.2' }, signal: 'SIGTERM' }, { signal: 'SIGQUIT' }],
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /(centos|alma|rocky|fedora|amzn|ubi)/, shell: 'bash-any' }, { shell: 'dash' }],
    sources: ['https://github.com/openresty/docker-openresty/commit/709f99f76af87009f278fdf68684c8712942d44a'],
  },
  {
    id: 'kong',
    repositories: ['kong', 'kong/kong-gateway', 'kong/kong'],
    // The entrypoint execs OpenResty's nginx for `kong docker-start`.
    runs: { kind: 'server', server: 'nginx' },
    entrypoint: { argv: ['/docker-entrypoint.sh'], execsArguments: true },
    cmd: ['kong', 'docker-start'],
    stopSignal: [{ signal: 'SIGQUIT' }],
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /(rhel|ubi|centos|amazonlinux)/, shell: 'bash-any' }, { shell: 'dash' }],
    sources: ['https://github.com/Kong/docker-kong/blob/master/Dockerfile.deb', 'https://github.com/Kong/docker-kong/blob/master/docker-entrypoint.sh'],
  },
  {
    id: 'ingress-nginx-controller',
    repositories: [
      'registry.k8s.io/ingress-nginx/controller',
      'registry.k8s.io/ingress-nginx/controller-chroot',
      'k8s.gcr.io/ingress-nginx/controller',
      'gcr.io/k8s-staging-ingress-nginx/controller',
      'quay.io/kubernetes-ingress-controller/nginx-ingress-controller',
      'gcr.io/google_containers/nginx-ingress-controller',
    ],
    runs: {
      kind: 'program',
      program: 'the ingress-nginx controller (Go)',
      onSigterm: 'waits --shutdown-grace-period (default 0 s), then stops nginx with nginx -s quit and waits for it to exit',
    },
    entrypoint: { argv: ['/usr/bin/dumb-init', '--'], execsArguments: false },
    cmd: ['/nginx-ingress-controller'],
    shell: [{ shell: 'busybox-ash' }],
    sources: [
      'https://github.com/kubernetes/ingress-nginx/blob/main/rootfs/Dockerfile',
      'https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/controller/nginx.go',
      'https://github.com/kubernetes/ingress-nginx/blob/main/pkg/flags/flags.go',
    ],
  },
  {
    id: 'nginx-ingress-controller-f5',
    repositories: ['nginx/nginx-ingress', 'public.ecr.aws/nginx/nginx-ingress', 'private-registry.nginx.com/nginx-ic/nginx-plus-ingress'],
    runs: {
      kind: 'program',
      program: "NGINX Inc's ingress controller (Go, /nginx-ingress)",
      onSigterm: 'stops the controller, then quits nginx gracefully (nginx -s quit) and waits for it',
    },
    entrypoint: { argv: ['/nginx-ingress'], execsArguments: false },
    stopSignal: [{ signal: 'SIGTERM' }],
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /ubi/, shell: 'bash-any' }, { shell: 'dash' }],
    sources: [
      'https://github.com/nginx/kubernetes-ingress/blob/main/build/Dockerfile',
      'https://github.com/nginx/kubernetes-ingress/blob/main/cmd/nginx-ingress/main.go',
    ],
  },
  {
    id: 'nginx-prometheus-exporter',
    repositories: ['nginx/nginx-prometheus-exporter', 'nginxinc/nginx-prometheus-exporter', 'ghcr.io/nginx/nginx-prometheus-exporter'],
    runs: { kind: 'program', program: 'the NGINX Prometheus exporter (Go)', onSigterm: 'exits' },
    entrypoint: { argv: ['/usr/bin/nginx-prometheus-exporter'], execsArguments: false },
    shell: [{ shell: 'none' }],
    sources: ['https://github.com/nginx/nginx-prometheus-exporter/blob/main/build/Dockerfile'],
  },
  {
    id: 'envoy',
    repositories: ['envoyproxy/envoy'],
    runs: { kind: 'program', program: 'Envoy', onSigterm: 'exits without draining its listeners' },
    shell: [{ tags: /distroless/, shell: 'none' }, { shell: 'dash' }],
    sources: ['https://www.envoyproxy.io/docs/envoy/latest/operations/draining', 'https://github.com/envoyproxy/envoy/tree/main/ci'],
  },
  {
    id: 'envoy-distroless',
    repositories: ['envoyproxy/envoy-distroless', 'envoyproxy/envoy-distroless-dev'],
    runs: { kind: 'program', program: 'Envoy', onSigterm: 'exits without draining its listeners' },
    shell: [{ shell: 'none' }],
    sources: ['https://www.envoyproxy.io/docs/envoy/latest/start/install#install-envoy-using-docker'],
  },
  {
    id: 'traefik',
    // k3s ships the official image under rancher/mirrored-library-traefik.
    repositories: ['traefik', 'rancher/mirrored-library-traefik'],
    runs: TRAEFIK_RUNS,
    entrypoint: { argv: ['/entrypoint.sh'], execsArguments: true },
    cmd: ['traefik'],
    shell: [{ tags: /nanoserver|servercore/, shell: 'none' }, { shell: 'busybox-ash' }],
    sources: [
      'https://github.com/traefik/traefik-library-image/blob/master/alpine/Dockerfile',
      'https://github.com/traefik/traefik/blob/master/pkg/server/server_entrypoint_tcp.go',
    ],
  },
  {
    id: 'traefik-project-image',
    // The project's own image (its repository's Dockerfile), used by its examples and tests.
    repositories: ['traefik/traefik'],
    runs: TRAEFIK_RUNS,
    entrypoint: { argv: ['/traefik'], execsArguments: false },
    shell: [{ shell: 'busybox-ash' }],
    sources: ['https://github.com/traefik/traefik/blob/master/Dockerfile'],
  },
  // Language base images: the app's command decides what runs; what they tell is their /bin/sh.
  {
    id: 'caddy',
    repositories: ['caddy'],
    // The -builder tags build custom binaries (xcaddy) and are not run as the server.
    tags: /^(?!.*builder)/,
    runs: {
      kind: 'program',
      program: 'Caddy (Go)',
      onSigterm:
        'stops accepting, closes idle connections and waits for active requests for grace_period (eternal by default), after shutdown_delay (none by default)',
    },
    cmd: ['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'],
    sources: ['https://github.com/caddyserver/caddy-docker/blob/master/2.11/alpine/Dockerfile', 'https://caddyserver.com/docs/caddyfile/options#grace-period'],
  },
  {
    id: 'node',
    repositories: ['node'],
    runs: { kind: 'runtime', runtime: 'node' },
    entrypoint: { argv: ['docker-entrypoint.sh'], execsArguments: true },
    cmd: ['node'],
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/nodejs/docker-node'],
  },
  {
    id: 'python',
    repositories: ['python'],
    runs: { kind: 'runtime', runtime: 'python' },
    cmd: ['python3'],
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /windowsservercore|nanoserver/, shell: 'none' }, { shell: 'dash' }],
    sources: ['https://github.com/docker-library/python'],
  },
  {
    id: 'eclipse-temurin',
    repositories: ['eclipse-temurin'],
    runs: { kind: 'runtime', runtime: 'jvm' },
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /ubi/, shell: 'bash-any' }, { shell: 'dash' }],
    sources: ['https://github.com/adoptium/containers'],
  },
  {
    id: 'openjdk',
    repositories: ['openjdk'],
    runs: { kind: 'runtime', runtime: 'jvm' },
    // Numeric-only tags of 12 and later are Oracle Linux (bash); the named variants say their base.
    shell: [
      { tags: ALPINE, shell: 'busybox-ash' },
      { tags: /(slim|buster|bullseye|bookworm|stretch|jessie)/, shell: 'dash' },
      { tags: /(oracle|oraclelinux)/, shell: 'bash-any' },
    ],
    sources: ['https://github.com/docker-library/openjdk'],
  },
  {
    id: 'amazoncorretto',
    repositories: ['amazoncorretto', 'public.ecr.aws/amazoncorretto/amazoncorretto'],
    runs: { kind: 'runtime', runtime: 'jvm' },
    shell: [{ tags: ALPINE, shell: 'busybox-ash' }, { tags: /debian/, shell: 'dash' }, { shell: 'bash-any' }],
    sources: ['https://github.com/corretto/corretto-docker'],
  },
  {
    id: 'golang',
    repositories: ['golang'],
    runs: { kind: 'runtime', runtime: 'go' },
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/golang'],
  },
  {
    id: 'ruby',
    repositories: ['ruby'],
    runs: { kind: 'runtime', runtime: 'ruby' },
    shell: DEBIAN_UNLESS_ALPINE,
    sources: ['https://github.com/docker-library/ruby'],
  },
  {
    id: 'dotnet',
    repositories: [
      'mcr.microsoft.com/dotnet/aspnet',
      'mcr.microsoft.com/dotnet/runtime',
      'mcr.microsoft.com/dotnet/runtime-deps',
      'mcr.microsoft.com/dotnet/sdk',
    ],
    runs: { kind: 'runtime', runtime: 'dotnet' },
    shell: [
      { tags: /chiseled|distroless/, shell: 'none' },
      { tags: ALPINE, shell: 'busybox-ash' },
      { tags: /(azurelinux|cbl-mariner)/, shell: 'bash-any' },
      { shell: 'dash' },
    ],
    sources: ['https://github.com/dotnet/dotnet-docker/blob/main/documentation/supported-tags.md'],
  },
  // Operating-system bases.
  { id: 'debian', repositories: ['debian', 'ubuntu'], runs: { kind: 'base' }, shell: [{ shell: 'dash' }], sources: ['https://wiki.debian.org/Shell'] },
  {
    id: 'alpine',
    repositories: ['alpine', 'busybox'],
    runs: { kind: 'base' },
    shell: [{ shell: 'busybox-ash' }],
    sources: ['https://wiki.alpinelinux.org/wiki/BusyBox'],
  },
  {
    id: 'ubi8',
    repositories: [
      'registry.access.redhat.com/ubi8',
      'registry.access.redhat.com/ubi8/ubi',
      'registry.access.redhat.com/ubi8/ubi-minimal',
      'redhat/ubi8',
      'redhat/ubi8-minimal',
    ],
    runs: { kind: 'base' },
    // RHEL 8 ships bash 4.4.
    shell: [{ shell: 'bash-before-5.1' }],
    sources: ['https://catalog.redhat.com/software/base-images'],
  },
  {
    id: 'ubi9',
    repositories: [
      'registry.access.redhat.com/ubi9',
      'registry.access.redhat.com/ubi9/ubi',
      'registry.access.redhat.com/ubi9/ubi-minimal',
      'redhat/ubi9',
      'redhat/ubi9-minimal',
    ],
    runs: { kind: 'base' },
    // RHEL 9 ships bash 5.1.
    shell: [{ shell: 'bash' }],
    sources: ['https://catalog.redhat.com/software/base-images'],
  },
  {
    id: 'rhel-family',
    repositories: [
      'fedora',
      'centos',
      'rockylinux',
      'rockylinux/rockylinux',
      'almalinux',
      'oraclelinux',
      'amazonlinux',
      'public.ecr.aws/amazonlinux/amazonlinux',
    ],
    runs: { kind: 'base' },
    shell: [{ shell: 'bash-any' }],
    sources: ['https://docs.fedoraproject.org/en-US/fedora/latest/system-administrators-guide/'],
  },
  {
    id: 'scratch',
    repositories: ['scratch'],
    runs: { kind: 'base' },
    shell: [{ shell: 'none' }],
    sources: ['https://docs.docker.com/build/building/base-images/'],
  },
  {
    id: 'distroless',
    repositories: ['gcr.io/distroless/*'],
    runs: { kind: 'base' },
    // The :debug variants add BusyBox.
    shell: [{ tags: /debug/, shell: 'busybox-ash' }, { shell: 'none' }],
    sources: ['https://github.com/GoogleContainerTools/distroless#debug-images'],
  },
  {
    id: 'chainguard',
    repositories: ['cgr.dev/chainguard/*'],
    runs: { kind: 'base' },
    // The -dev variants add a shell (BusyBox).
    shell: [{ tags: /dev/, shell: 'busybox-ash' }, { shell: 'none' }],
    sources: ['https://edu.chainguard.dev/chainguard/chainguard-images/about/images-compared/'],
  },
];
