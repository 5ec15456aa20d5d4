/**
 * How long application servers keep an idle keep-alive connection open, when the pod spec shows
 * it: one row per server with the flag and environment variable that set it, its default, and
 * whether that default can be trusted from the command line alone (a server that also reads a
 * config file the input cannot show is judged only on values written in args or env). The
 * proxy side of the race lives in src/k8s/edgeProxies.ts (docs/reference/node-http.md#keep-alive-race).
 */
import { configDurationSeconds, flagValue } from './edgeProxies.js';
import type { Container } from './objects.js';
import { executableName } from './servers.js';

export type AppServerId = 'uvicorn' | 'gunicorn' | 'hypercorn' | 'next';

export interface AppIdleTimeout {
  id: AppServerId;
  /** The name messages use. */
  server: string;
  /** The flag that sets the idle timeout. */
  flag: string;
  /** Its unit on the command line. */
  unit: 's' | 'ms';
  /** An environment variable holding the value itself, or the server's extra command-line arguments. */
  env?: { name: string; holds: 'value' | 'arguments' };
  /** The server's default, in seconds. */
  defaultSeconds: number;
  /** Whether the default applies when args and env do not set it (false: a config file the input cannot show may set it). */
  defaultIsVisible: boolean;
  source: string;
}

export const APP_IDLE_TIMEOUTS: Readonly<Record<AppServerId, AppIdleTimeout>> = {
  uvicorn: {
    id: 'uvicorn',
    server: 'uvicorn',
    flag: '--timeout-keep-alive',
    unit: 's',
    // Its click CLI reads every option from UVICORN_<OPTION> as well.
    env: { name: 'UVICORN_TIMEOUT_KEEP_ALIVE', holds: 'value' },
    defaultSeconds: 5,
    defaultIsVisible: true,
    source: 'https://www.uvicorn.org/settings/#timeouts',
  },
  gunicorn: {
    id: 'gunicorn',
    server: 'gunicorn',
    flag: '--keep-alive',
    unit: 's',
    env: { name: 'GUNICORN_CMD_ARGS', holds: 'arguments' },
    defaultSeconds: 2,
    // gunicorn also reads ./gunicorn.conf.py, and its default sync worker ignores keep-alive altogether.
    defaultIsVisible: false,
    source: 'https://docs.gunicorn.org/en/stable/settings.html#keepalive',
  },
  hypercorn: {
    id: 'hypercorn',
    server: 'hypercorn',
    flag: '--keep-alive',
    unit: 's',
    defaultSeconds: 5,
    defaultIsVisible: false,
    source: 'https://hypercorn.readthedocs.io/en/latest/how_to_guides/configuring.html',
  },
  next: {
    id: 'next',
    server: 'next start',
    flag: '--keepAliveTimeout',
    unit: 'ms',
    // Without the flag next start leaves Node's http.Server default of 5 s.
    defaultSeconds: 5,
    defaultIsVisible: true,
    source: 'https://nextjs.org/docs/app/api-reference/cli/next#next-start-options',
  },
};

export interface VisibleIdleTimeout {
  server: AppIdleTimeout;
  seconds: number;
  /** Where the value comes from, for messages: the flag as written, the env var, or the default. */
  origin: string;
  written: boolean;
}

/** The words of a command line, with `sh -c` scripts split on whitespace. */
function words(argv: readonly string[]): string[] {
  return argv.flatMap((a) => (/\s/.test(a) ? a.split(/\s+/).filter((w) => w !== '') : [a]));
}

/** Where the server's own arguments start: after `uvicorn`, `python -m uvicorn`, `next start`. */
function serverStart(ws: readonly string[], id: AppServerId): number | undefined {
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (id === 'next') {
      if (executableName(w) === 'next' && ws[i + 1] === 'start') return i + 2;
      continue;
    }
    if (executableName(w) === id) return i + 1;
    if (w === '-m' && ws[i + 1] === id) return i + 2;
  }
  return undefined;
}

/**
 * gunicorn keeps connections alive only with a worker other than the default sync one: `-k`, or
 * `--threads` above 1, with which gunicorn runs gthread even when sync is asked for.
 */
function gunicornKeepsAlive(args: readonly string[]): boolean | undefined {
  const threads = Number(flagValue(args, '--threads'));
  if (Number.isFinite(threads) && threads > 1) return true;
  const worker = flagValue(args, '--worker-class') ?? flagValue(args, '-k');
  return worker !== undefined ? worker !== 'sync' : undefined;
}

/** A literal env value of the container (`valueFrom` is not literal: undefined). */
export function literalEnv(c: Container, name: string): string | undefined {
  const env = (Array.isArray(c.env) ? c.env : []) as Array<{ name?: unknown; value?: unknown }>;
  const v = env.find((e) => e.name === name)?.value;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The arguments the container's command line gives an application server it runs (after
 * `uvicorn`, `python -m gunicorn`, `next start`), preceded by the words of an environment
 * variable that holds extra arguments (gunicorn's GUNICORN_CMD_ARGS, which the command line
 * overrides); undefined when the command line does not run that server.
 */
export function serverArguments(c: Container, id: AppServerId, argumentsEnv?: string): string[] | undefined {
  const argv = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
  const ws = words(argv);
  const start = serverStart(ws, id);
  if (start === undefined) return undefined;
  const extra = argumentsEnv ? words([literalEnv(c, argumentsEnv) ?? '']) : [];
  return [...extra, ...ws.slice(start)];
}

/**
 * The idle keep-alive timeout of the application server a container runs, when its command line
 * or env shows both the server and the value (or a default no config file can change).
 */
export function visibleIdleTimeout(c: Container): VisibleIdleTimeout | undefined {
  const envValue = (name: string) => literalEnv(c, name);
  for (const server of Object.values(APP_IDLE_TIMEOUTS)) {
    const args = serverArguments(c, server.id, server.env?.holds === 'arguments' ? server.env.name : undefined);
    if (args === undefined) continue;
    if (server.id === 'gunicorn' && gunicornKeepsAlive(args) !== true) return undefined;
    const fromFlag = flagValue(args, server.flag);
    const fromEnv = server.env?.holds === 'value' ? envValue(server.env.name) : undefined;
    const text = fromFlag ?? fromEnv;
    if (text !== undefined) {
      const n = configDurationSeconds(text);
      if (n === undefined) return undefined;
      const seconds = server.unit === 'ms' ? n / 1000 : n;
      const origin = fromFlag !== undefined ? `${server.flag} ${text}` : `${server.env!.name}=${text}`;
      return { server, seconds, origin, written: true };
    }
    if (!server.defaultIsVisible) return undefined;
    return { server, seconds: server.defaultSeconds, origin: `${server.flag} not set: the default ${server.defaultSeconds} s`, written: false };
  }
  return undefined;
}
