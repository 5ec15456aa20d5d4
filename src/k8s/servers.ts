/**
 * Servers whose graceful stop needs a signal other than SIGTERM, one row each with its source:
 * what identifies the server's executable, the signal that finishes in-flight work, and what
 * SIGTERM does instead (docs/reference/signals.md#image-stop-signals). Rules and the lab read
 * this table; images that run these servers are rows of src/k8s/imageTable.ts.
 */
export type ServerId = 'nginx' | 'openresty' | 'httpd' | 'haproxy' | 'php-fpm' | 'unicorn';

export interface ServerKnowledge {
  id: ServerId;
  /** The name messages use. */
  server: string;
  /** Executable basenames that run this server (`nginx`, `php-fpm8.2`); matched whole, never as a prefix of another name. */
  executables: RegExp;
  /** The signal that makes it finish in-flight work and exit. */
  gracefulSignal: string;
  /** What SIGTERM does to it, for messages. */
  onSigterm: string;
  /** Upstream documentation of its signals. */
  source: string;
}

export const SERVERS: Readonly<Record<ServerId, ServerKnowledge>> = {
  nginx: {
    id: 'nginx',
    server: 'nginx',
    executables: /^nginx(-debug)?$/,
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'fast shutdown: in-flight requests are cut',
    source: 'https://nginx.org/en/docs/control.html',
  },
  openresty: {
    id: 'openresty',
    server: 'openresty',
    executables: /^openresty$/,
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'fast shutdown (nginx core): in-flight requests are cut',
    source: 'https://nginx.org/en/docs/control.html',
  },
  httpd: {
    id: 'httpd',
    server: 'httpd',
    // httpd-foreground and apache2-foreground are the official images' wrappers, which exec httpd/apache2.
    executables: /^(httpd|apache2|httpd-foreground|apache2-foreground)$/,
    gracefulSignal: 'SIGWINCH',
    onSigterm: 'stop now: children killed, in-flight requests aborted',
    source: 'https://httpd.apache.org/docs/2.4/stopping.html',
  },
  haproxy: {
    id: 'haproxy',
    server: 'haproxy',
    executables: /^haproxy$/,
    gracefulSignal: 'SIGUSR1',
    onSigterm: 'hard stop',
    source: 'https://docs.haproxy.org/2.8/management.html#4',
  },
  'php-fpm': {
    id: 'php-fpm',
    server: 'php-fpm',
    // Debian names it php-fpm8.2, Alpine php-fpm82.
    executables: /^php-fpm(\d+(\.\d+)?)?$/,
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'immediate termination of workers',
    source: 'https://github.com/php/php-src/blob/master/sapi/fpm/php-fpm.8.in',
  },
  unicorn: {
    id: 'unicorn',
    server: 'unicorn',
    // unicorn_rails is the Rails launcher of the same master; Shopify's fork pitchfork treats TERM as graceful and is not this row.
    executables: /^unicorn(_rails)?$/,
    gracefulSignal: 'SIGQUIT',
    onSigterm: 'quick shutdown: the master kills all workers at once, cutting their requests',
    source: 'https://yhbt.net/unicorn/SIGNALS.html',
  },
};

/** The executable's basename, lower-cased: `/usr/sbin/nginx` → `nginx`. */
export function executableName(arg: string): string {
  return arg.slice(arg.lastIndexOf('/') + 1).toLowerCase();
}

/** Looks a server up by the executable that runs it (`/usr/sbin/nginx` → nginx, `php-fpm8.2` → php-fpm); `nginx-ingress` is not nginx. */
export function serverFor(executable: string): ServerKnowledge | undefined {
  const base = executableName(executable);
  return Object.values(SERVERS).find((s) => s.executables.test(base));
}
