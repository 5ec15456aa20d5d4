/**
 * How long application servers keep finishing in-flight work after their stop signal before they
 * cut it themselves, and how long some keep serving first: one row per setting with where it is
 * written, its default and the upstream source (docs/reference/signals.md#server-shutdown-timeouts).
 * The kubelet's SIGKILL comes terminationGracePeriodSeconds after the preStop starts
 * (src/k8s/shutdownTimeline.ts), so a server whose own timeout is longer is killed mid-drain.
 *
 * Values are read only from what the input shows: the command line and literal env of the
 * container, and config files a ConfigMap of the input mounts. A server that also reads a config
 * file the input does not show (gunicorn's ./gunicorn.conf.py, Puma's config/puma.rb) is judged
 * on written values only, or on a default once the file it reads is visible. Pure.
 */
import { flagValue } from './edgeProxies.js';
import { goDurationSeconds } from './goDuration.js';
import { literalEnv, serverArguments } from './keepAlive.js';
import type { Container } from './objects.js';

export type ShutdownSettingId =
  | 'gunicorn/graceful_timeout'
  | 'uvicorn/timeout_graceful_shutdown'
  | 'caddy/grace_period'
  | 'caddy/shutdown_delay'
  | 'php-fpm/process_control_timeout';

export interface ShutdownSetting {
  id: ShutdownSettingId;
  /** The server, as messages name it. */
  server: string;
  /** The setting as the user writes it. */
  setting: string;
  /** Where it can be written. */
  where: string;
  /** Its default in seconds; `unbounded` when the server waits for as long as the work takes. */
  defaultSeconds: number | 'unbounded';
  /** What the server does meanwhile, and when the time is up. */
  meaning: string;
  source: string;
}

export const SHUTDOWN_SETTINGS: Readonly<Record<ShutdownSettingId, ShutdownSetting>> = {
  'gunicorn/graceful_timeout': {
    id: 'gunicorn/graceful_timeout',
    server: 'gunicorn',
    setting: 'graceful_timeout',
    where: '--graceful-timeout, GUNICORN_CMD_ARGS, or graceful_timeout in gunicorn.conf.py',
    defaultSeconds: 30,
    meaning: 'on SIGTERM workers finish their current requests for up to this long; workers still alive are then force killed',
    source: 'https://docs.gunicorn.org/en/stable/settings.html#graceful-timeout',
  },
  'uvicorn/timeout_graceful_shutdown': {
    id: 'uvicorn/timeout_graceful_shutdown',
    server: 'uvicorn',
    setting: '--timeout-graceful-shutdown',
    where: '--timeout-graceful-shutdown or UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN',
    defaultSeconds: 'unbounded',
    meaning: 'on SIGTERM uvicorn waits this long for open connections and tasks, then starts terminating requests; unset, it waits for as long as they take',
    source: 'https://www.uvicorn.org/settings/#timeouts',
  },
  'caddy/grace_period': {
    id: 'caddy/grace_period',
    server: 'Caddy',
    setting: 'grace_period',
    where: 'the Caddyfile global options block, or apps.http.grace_period in JSON',
    defaultSeconds: 'unbounded',
    meaning:
      'accepts no new connections, closes idle ones and waits this long for active requests, then closes them forcefully; by default the grace period is eternal',
    source: 'https://caddyserver.com/docs/caddyfile/options#grace-period',
  },
  'caddy/shutdown_delay': {
    id: 'caddy/shutdown_delay',
    server: 'Caddy',
    setting: 'shutdown_delay',
    where: 'the Caddyfile global options block, or apps.http.shutdown_delay in JSON',
    defaultSeconds: 0,
    meaning: 'keeps serving normally for this long before the grace period begins ({http.shutting_down} is true meanwhile)',
    source: 'https://github.com/caddyserver/caddy/blob/master/modules/caddyhttp/app.go',
  },
  'php-fpm/process_control_timeout': {
    id: 'php-fpm/process_control_timeout',
    server: 'php-fpm',
    setting: 'process_control_timeout',
    where: 'the [global] section of php-fpm.conf or of a file it includes',
    defaultSeconds: 0,
    meaning:
      'on SIGQUIT the master asks the workers to finish their request and waits this long before it sends them SIGTERM, which kills them at once (SIGTERM to the master skips the wait)',
    source: 'https://github.com/php/php-src/blob/master/sapi/fpm/fpm/fpm_process_ctl.c',
  },
};

/** Where a value is written, for a finding's position and message. */
export type WrittenAt =
  | { kind: 'arg'; field: 'command' | 'args'; index: number }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string; configMap?: string; key?: string };

export interface ResolvedTimeout {
  setting: ShutdownSetting;
  /** Seconds; undefined when unbounded. */
  seconds: number | undefined;
  written: boolean;
  /** What a message says about it: `--graceful-timeout 60`, `graceful_timeout not set in … (the default 30 s)`. */
  origin: string;
  at?: WrittenAt;
}

export interface ServerShutdown {
  server: string;
  /** Serving on after the stop signal before draining (Caddy's shutdown_delay). */
  delay?: ResolvedTimeout;
  /** The longest the server waits for in-flight work before it cuts it itself. */
  drain: ResolvedTimeout;
}

/** A file the container sees: its text and which ConfigMap gives it, `unseen` when the input cannot show it, undefined when nothing mounts it. */
export type ReadMounted = (path: string) => { text: string; configMap?: string; key?: string } | 'unseen' | undefined;

const written = (setting: ShutdownSetting, seconds: number | undefined, origin: string, at?: WrittenAt): ResolvedTimeout => ({
  setting,
  seconds,
  written: true,
  origin,
  ...(at ? { at } : {}),
});

function byDefault(setting: ShutdownSetting, origin: string): ResolvedTimeout {
  const seconds = setting.defaultSeconds === 'unbounded' ? undefined : setting.defaultSeconds;
  return { setting, seconds, written: false, origin };
}

/** Whole seconds as gunicorn and uvicorn take them (`int`); undefined for anything else. */
function intSeconds(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Where the container's command line writes a flag, when it does (for a finding's position). */
function argPosition(c: Container, flag: string): WrittenAt | undefined {
  for (const field of ['args', 'command'] as const) {
    const list = c[field];
    const index = Array.isArray(list) ? list.findIndex((a) => String(a) === flag || String(a).startsWith(`${flag}=`) || String(a).includes(` ${flag}`)) : -1;
    if (index >= 0) return { kind: 'arg', field, index };
  }
  return undefined;
}

/** A path the server resolves against its working directory: absolute as written, else under the container's `workingDir` (the image's WORKDIR is not known). */
function absolute(c: Container, path: string): string | undefined {
  if (path.startsWith('/')) return path;
  const wd = typeof c.workingDir === 'string' && c.workingDir.startsWith('/') ? c.workingDir.replace(/\/+$/, '') : undefined;
  return wd ? `${wd}/${path.replace(/^\.\//, '')}` : undefined;
}

/** The literal `graceful_timeout = N` of a gunicorn Python config; `unparsed` when the file sets it some other way. */
export function gunicornConfigGracefulTimeout(text: string): number | 'unparsed' | undefined {
  let value: number | 'unparsed' | undefined;
  for (const line of text.split('\n')) {
    if (!/\bgraceful_timeout\b/.test(line.replace(/#.*$/, ''))) continue;
    const m = /^graceful_timeout\s*=\s*(\d+)\s*(#.*)?$/.exec(line.trimEnd());
    value = m ? Number(m[1]) : 'unparsed';
  }
  return value;
}

function gunicornShutdown(c: Container, read: ReadMounted): ServerShutdown | undefined {
  const args = serverArguments(c, 'gunicorn', 'GUNICORN_CMD_ARGS');
  if (!args) return undefined;
  const setting = SHUTDOWN_SETTINGS['gunicorn/graceful_timeout'];
  const fromArgs = flagValue(args, '--graceful-timeout');
  if (fromArgs !== undefined) {
    const seconds = intSeconds(fromArgs);
    if (seconds === undefined) return undefined;
    const onCommandLine = serverArguments(c, 'gunicorn');
    const at: WrittenAt =
      onCommandLine && flagValue(onCommandLine, '--graceful-timeout') !== undefined
        ? argPosition(c, '--graceful-timeout')!
        : { kind: 'env', name: 'GUNICORN_CMD_ARGS' };
    const origin = at.kind === 'env' ? `--graceful-timeout ${fromArgs} in GUNICORN_CMD_ARGS` : `--graceful-timeout ${fromArgs}`;
    return { server: 'gunicorn', drain: written(setting, seconds, origin, at) };
  }
  // The config file: -c/--config (the command line's wins over GUNICORN_CMD_ARGS'), else ./gunicorn.conf.py.
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-c' || a === '--config') && args[i + 1] !== undefined) config = args[i + 1];
    else if (a.startsWith('--config=')) config = a.slice('--config='.length);
  }
  if (config?.startsWith('python:') || flagValue(args, '--chdir') !== undefined) return undefined;
  const path = absolute(c, config ?? 'gunicorn.conf.py');
  const file = path ? read(path) : undefined;
  // Not mounted: the image may hold the file, and it may set graceful_timeout.
  if (!path || file === undefined || file === 'unseen') return undefined;
  const where = `${path}${file.configMap ? ` (ConfigMap ${file.configMap})` : ''}`;
  const inFile = gunicornConfigGracefulTimeout(file.text);
  if (inFile === 'unparsed') return undefined;
  const at: WrittenAt = { kind: 'file', path, ...(file.configMap ? { configMap: file.configMap } : {}), ...(file.key ? { key: file.key } : {}) };
  if (inFile !== undefined) return { server: 'gunicorn', drain: written(setting, inFile, `graceful_timeout = ${inFile} in ${where}`, at) };
  return { server: 'gunicorn', drain: byDefault(setting, `graceful_timeout is not set in ${where}, so the default ${setting.defaultSeconds} s applies`) };
}

function uvicornShutdown(c: Container): ServerShutdown | undefined {
  const args = serverArguments(c, 'uvicorn');
  if (!args) return undefined;
  const setting = SHUTDOWN_SETTINGS['uvicorn/timeout_graceful_shutdown'];
  const envName = 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN';
  const fromArgs = flagValue(args, '--timeout-graceful-shutdown');
  const fromEnv = fromArgs === undefined ? literalEnv(c, envName) : undefined;
  const text = fromArgs ?? fromEnv;
  if (text !== undefined) {
    const seconds = intSeconds(text);
    if (seconds === undefined) return undefined;
    return fromArgs !== undefined
      ? { server: 'uvicorn', drain: written(setting, seconds, `--timeout-graceful-shutdown ${text}`, argPosition(c, '--timeout-graceful-shutdown')) }
      : { server: 'uvicorn', drain: written(setting, seconds, `${envName}=${text}`, { kind: 'env', name: envName }) };
  }
  // Set from a Secret or ConfigMap reference: not visible.
  const env = Array.isArray(c.env) ? (c.env as Array<{ name?: unknown }>) : [];
  if (env.some((e) => e.name === envName)) return undefined;
  return {
    server: 'uvicorn',
    drain: byDefault(setting, '--timeout-graceful-shutdown is not set, so uvicorn waits for as long as its connections and tasks take'),
  };
}

/** Caddy durations: Go durations, and whole days (`1d`) (https://caddyserver.com/docs/conventions#durations). */
function caddyDurationSeconds(text: string): number | undefined {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text);
  if (days) return Number(days[1]) * 86400;
  return goDurationSeconds(text);
}

export interface CaddyShutdownOptions {
  gracePeriod?: { text: string; seconds: number; line: number };
  shutdownDelay?: { text: string; seconds: number; line: number };
}

/**
 * `grace_period` and `shutdown_delay` of a Caddyfile's global options block (the first block,
 * with no keys); `unparsed` when that block imports snippets or a value is a placeholder.
 */
export function caddyfileShutdownOptions(text: string): CaddyShutdownOptions | 'unparsed' {
  const lines = text.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim());
  const first = lines.findIndex((l) => l !== '');
  if (first < 0 || lines[first] !== '{') return {};
  const out: CaddyShutdownOptions = {};
  let depth = 1;
  for (let i = first + 1; i < lines.length && depth > 0; i++) {
    const words = lines[i]!.split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    if (depth === 1 && words[0] === 'import') return 'unparsed';
    if (depth === 1 && (words[0] === 'grace_period' || words[0] === 'shutdown_delay') && words[1] !== undefined) {
      const seconds = caddyDurationSeconds(words[1]);
      if (seconds === undefined) return 'unparsed';
      out[words[0] === 'grace_period' ? 'gracePeriod' : 'shutdownDelay'] = { text: words[1], seconds, line: i + 1 };
    }
    for (const w of words) {
      if (w === '{' || w.endsWith('{')) depth++;
      else if (w === '}') depth--;
    }
  }
  return out;
}

/** The same options of Caddy's JSON config (`apps.http`): a duration string or integer nanoseconds. */
export function caddyJsonShutdownOptions(text: string): CaddyShutdownOptions | 'unparsed' {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'unparsed';
  }
  const http = (doc as { apps?: { http?: Record<string, unknown> } } | null)?.apps?.http;
  const out: CaddyShutdownOptions = {};
  for (const [key, name] of [
    ['grace_period', 'gracePeriod'],
    ['shutdown_delay', 'shutdownDelay'],
  ] as const) {
    const v = http?.[key];
    if (v === undefined) continue;
    const seconds = typeof v === 'number' ? v / 1e9 : typeof v === 'string' ? caddyDurationSeconds(v) : undefined;
    if (seconds === undefined) return 'unparsed';
    out[name] = { text: String(v), seconds, line: 0 };
  }
  return out;
}

/** The Caddyfile the official image ships (caddyserver/dist config/Caddyfile) sets no global options. */
const CADDY_IMAGE_CONFIG = '/etc/caddy/Caddyfile';

/**
 * Caddy's shutdown as `caddy run --config FILE` reads it, when the input shows the file (a
 * ConfigMap mount), or the official image's own Caddyfile is the one it runs.
 */
function caddyShutdown(argv: readonly string[], read: ReadMounted, officialImage: boolean): ServerShutdown | undefined {
  const run = argv.findIndex((a, i) => a === 'run' && i > 0 && /(^|\/)caddy$/.test(argv[i - 1]!));
  if (run < 0) return undefined;
  const args = argv.slice(run + 1);
  if (args.includes('--resume') || args.includes('--envfile')) return undefined;
  const config = flagValue(args, '--config') ?? flagValue(args, '-c');
  const adapter = flagValue(args, '--adapter') ?? flagValue(args, '-a');
  if (!config?.startsWith('/')) return undefined;
  const file = read(config);
  if (file === 'unseen') return undefined;
  let options: CaddyShutdownOptions | 'unparsed';
  let where: string;
  if (file === undefined) {
    if (!officialImage || config !== CADDY_IMAGE_CONFIG) return undefined;
    options = {};
    where = `the image's ${config}`;
  } else {
    const caddyfile = adapter === 'caddyfile' || (adapter === undefined && /(^|\/)Caddyfile[^/]*$/.test(config));
    const json = adapter === undefined && /\.json$/.test(config);
    if (!caddyfile && !json) return undefined;
    options = caddyfile ? caddyfileShutdownOptions(file.text) : caddyJsonShutdownOptions(file.text);
    where = `${config}${file.configMap ? ` (ConfigMap ${file.configMap})` : ''}`;
  }
  if (options === 'unparsed') return undefined;
  const at: WrittenAt = {
    kind: 'file',
    path: config,
    ...(file?.configMap ? { configMap: file.configMap } : {}),
    ...(file?.key ? { key: file.key } : {}),
  };
  const grace = SHUTDOWN_SETTINGS['caddy/grace_period'];
  const delay = SHUTDOWN_SETTINGS['caddy/shutdown_delay'];
  return {
    server: 'Caddy',
    delay: options.shutdownDelay
      ? written(delay, options.shutdownDelay.seconds, `shutdown_delay ${options.shutdownDelay.text} in ${where}`, at)
      : byDefault(delay, `shutdown_delay is not set in ${where}`),
    drain: options.gracePeriod
      ? written(grace, options.gracePeriod.seconds, `grace_period ${options.gracePeriod.text} in ${where}`, at)
      : byDefault(grace, `grace_period is not set in ${where}, so Caddy waits for active requests without limit`),
  };
}

/**
 * The shutdown timeouts of the application server a container runs, as far as the input shows
 * them: gunicorn and uvicorn from their command line and env (gunicorn's default once its config
 * file is visible), Caddy from the config file `caddy run` loads. `argv` is what the container
 * runs (its command and args, or the image's ENTRYPOINT and CMD), `officialCaddyImage` whether
 * the image is Caddy's own.
 */
export function serverShutdownOf(c: Container, argv: readonly string[] | undefined, read: ReadMounted, officialCaddyImage = false): ServerShutdown | undefined {
  return gunicornShutdown(c, read) ?? uvicornShutdown(c) ?? (argv ? caddyShutdown(argv, read, officialCaddyImage) : undefined);
}

/** One `process_control_timeout` definition found in a php-fpm config file. */
export interface PhpFpmTimeoutDefinition {
  seconds: number;
  text: string;
  line: number;
}

/**
 * What a php-fpm ini file says about `process_control_timeout` in its [global] section (a file
 * without section headers is global until the first one): the last definition, `unparsed` for a
 * value zerodrop cannot read or an `include` of files it cannot follow, undefined when it sets none.
 */
export function phpFpmProcessControlTimeout(text: string, allowIncludes: (glob: string) => boolean): PhpFpmTimeoutDefinition | 'unparsed' | undefined {
  let section = 'global';
  let found: PhpFpmTimeoutDefinition | 'unparsed' | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\s*;.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const kv = /^([A-Za-z_.[\]]+)\s*=\s*(.*?)\s*(;.*)?$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!;
    const value = kv[2]!.replace(/^"(.*)"$/, '$1');
    if (key === 'include' && !allowIncludes(value)) return 'unparsed';
    if (key !== 'process_control_timeout' || section !== 'global') continue;
    const m = /^(\d+)([smhd]?)$/.exec(value);
    const unit: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
    found = m ? { seconds: Number(m[1]) * unit[m[2]!]!, text: value, line: i + 1 } : 'unparsed';
  }
  return found;
}
