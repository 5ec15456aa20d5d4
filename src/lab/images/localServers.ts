/**
 * Well-known server images the lab runs without a `--run` mapping: the official image is mapped
 * to the same server installed from Debian, with a minimal configuration of our own that listens
 * on the container's ports (loopback only). Its stop signal is not decided here: the lab takes
 * the official image's STOPSIGNAL from src/k8s/images.ts like for any other image.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZerodropError } from '../../errors.js';
import { parseImageRef } from '../../k8s/images.js';
import type { Container } from '../../k8s/objects.js';
import { terminalSafe } from '../../terminalText.js';
import { findProgram } from '../pods/command.js';

export interface LocalServer {
  /** The official image's name (`nginx`), also what `--run NAME=COMMAND` overrides. */
  image: string;
  /** The binary that runs it here. */
  binary: string;
  /** The Debian package that installs the binary. */
  debianPackage: string;
  /** What the minimal configuration answers, for the printed note. */
  serves: string;
  /**
   * The container's command line, listening on these container ports (each reaches the process
   * as `$PORT_<port>`, see src/lab/pods/podNetwork.ts). `workDir` is a private directory for
   * configuration and runtime files, removed when the lab exits.
   */
  argv(ports: readonly number[], workDir: string): string[];
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Debian's nginx as the official `nginx` image: static files from a private root (an index page
 * at `/`, 404 elsewhere, as the image's default site), logs on stderr. A shell writes the
 * configuration when the container starts (only then are its host ports known) and execs nginx,
 * so the nginx master is the container's main process and receives the stop signal itself.
 */
const nginx: LocalServer = {
  image: 'nginx',
  binary: process.env.ZERODROP_NGINX ?? '/usr/sbin/nginx',
  debianPackage: 'nginx',
  serves: 'static files: an index page at /, 404 elsewhere, like the default site of the image',
  argv(ports, workDir) {
    // Started as root, nginx runs its workers as an unprivileged user, which cannot read files
    // under a private TMPDIR: the lab's workers keep the lab's own user, as they do without root.
    const asRoot = process.getuid?.() === 0;
    const listen = ports.map((p) => `    listen 127.0.0.1:\${PORT_${p}};`).join('\n');
    const script = `set -eu
P=$(mktemp -d ${shellQuote(workDir)}/nginx.XXXXXX)
mkdir "$P/html"
echo '<!DOCTYPE html><title>Welcome to nginx!</title>' > "$P/html/index.html"
cat > "$P/nginx.conf" <<CONF
${asRoot ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid $P/nginx.pid;
error_log stderr notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $P/client_body;
  proxy_temp_path $P/proxy;
  fastcgi_temp_path $P/fastcgi;
  uwsgi_temp_path $P/uwsgi;
  scgi_temp_path $P/scgi;
${ports.length > 0 ? `  server {\n${listen}\n    root $P/html;\n  }\n` : ''}}
CONF
exec ${shellQuote(this.binary)} -p "$P" -e stderr -c "$P/nginx.conf"
`;
    return ['/bin/sh', '-c', script, 'nginx'];
  },
};

/**
 * Debian's HAProxy as the official `haproxy` image. The image ships no configuration; ours answers
 * 200 on every path. HAProxy expands `"${PORT_80}"` in its configuration from the environment, so
 * the file is written once and HAProxy is exec'd directly. The image runs `haproxy -W -db`
 * (master-worker); the lab runs one foreground process (`-db`), whose SIGUSR1 is the same soft
 * stop: HAProxy 2.6's master loses a signal that arrives while it finishes starting, about
 * 100 ms after the worker already serves (measured here), which the lab would turn into a
 * SIGKILL at the end of the grace period.
 */
const haproxy: LocalServer = {
  image: 'haproxy',
  binary: process.env.ZERODROP_HAPROXY ?? '/usr/sbin/haproxy',
  debianPackage: 'haproxy',
  serves: '200 "ok" on every path (the image ships no configuration)',
  argv(ports, workDir) {
    const config = path.join(workDir, `haproxy-${ports.join('-') || 'none'}.cfg`);
    const binds = ports.map((p) => `  bind "127.0.0.1:\${PORT_${p}}"`).join('\n');
    writeFileSync(
      config,
      `global
  log stderr format raw local0 notice
defaults
  mode http
  log global
  timeout connect 5s
  timeout client 30s
  timeout server 30s
${ports.length > 0 ? `frontend lab\n${binds}\n  http-request return status 200 content-type text/plain string ok\n` : ''}`,
    );
    return [this.binary, '-db', '-f', config];
  },
};

/** By official image name. */
export const LOCAL_SERVERS: Readonly<Record<string, LocalServer>> = { nginx, haproxy };

/** The server an official image maps to here (`nginx:1.27`, `docker.io/library/haproxy:2.6`), else undefined. */
export function localServerFor(image: string): LocalServer | undefined {
  const ref = parseImageRef(image);
  if (ref.repository.includes('/')) return undefined;
  return Object.hasOwn(LOCAL_SERVERS, ref.name) ? LOCAL_SERVERS[ref.name] : undefined;
}

let workDir: string | undefined;

/** One private directory per lab process for the servers' files, removed when the process exits. */
export function localServerWorkDir(): string {
  if (workDir) return workDir;
  const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-lab-servers-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  workDir = dir;
  return dir;
}

/**
 * The command a container of this image runs here. The binary must be installed: when it is not,
 * the error says which Debian package provides it (an environment error, exit 4).
 */
export function localServerCommand(server: LocalServer, target: { container: string; image: string; ports: readonly number[] }): string[] {
  if (findProgram(server.binary, '/', '') === undefined)
    throw new ZerodropError(
      'lab-command-not-found',
      terminalSafe(
        `container ${target.container} (image ${target.image}): the lab runs this image with Debian's ${server.image} (${server.binary}), which is not installed here: apt-get install ${server.debianPackage}, or map the image to a command with --run ${server.image}=COMMAND`,
      ),
    );
  return server.argv(target.ports, localServerWorkDir());
}

/** The line that says the lab chose the command itself, and how to override it. */
export function localServerNote(server: LocalServer, c: Container, ports: readonly number[], stopSignal: string): string {
  const serving = ports.length === 0 ? 'no port (the container declares none)' : `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}`;
  const ignored = c.command || c.args ? "; the container's command and args are not used (the lab writes its own config)" : '';
  return `image ${c.image}: runs Debian's ${server.image} (${server.binary}) with a minimal config on ${serving}, serving ${server.serves}; stop signal ${stopSignal}${ignored}; --run ${server.image}=COMMAND overrides`;
}
