import { describe, expect, it } from 'vitest';
import { mountedFileAt, mountedFileLookup, mountedFilesUnder } from './mountedFiles.js';
import type { Container, KubeObject } from './objects.js';
import {
  caddyfileShutdownOptions,
  caddyJsonShutdownOptions,
  gunicornConfigGracefulTimeout,
  phpFpmProcessControlTimeout,
  SHUTDOWN_SETTINGS,
  serverShutdownOf,
  type ReadMounted,
} from './serverShutdown.js';

const nothingMounted: ReadMounted = () => undefined;
const files =
  (byPath: Record<string, string>): ReadMounted =>
  (path) =>
    byPath[path] !== undefined ? { text: byPath[path]!, configMap: 'cm', key: path.slice(path.lastIndexOf('/') + 1) } : undefined;

describe('server shutdown defaults (docs/reference/signals.md#server-shutdown-timeouts)', () => {
  it('gunicorn waits 30 s, uvicorn and Caddy without limit, php-fpm not at all; every row has its source', () => {
    expect(SHUTDOWN_SETTINGS['gunicorn/graceful_timeout'].defaultSeconds).toBe(30);
    expect(SHUTDOWN_SETTINGS['uvicorn/timeout_graceful_shutdown'].defaultSeconds).toBe('unbounded');
    expect(SHUTDOWN_SETTINGS['caddy/grace_period'].defaultSeconds).toBe('unbounded');
    expect(SHUTDOWN_SETTINGS['caddy/shutdown_delay'].defaultSeconds).toBe(0);
    expect(SHUTDOWN_SETTINGS['php-fpm/process_control_timeout'].defaultSeconds).toBe(0);
    for (const row of Object.values(SHUTDOWN_SETTINGS)) expect(row.source).toMatch(/^https:\/\//);
  });
});

describe('gunicorn graceful_timeout (https://docs.gunicorn.org/en/stable/configure.html: command line > GUNICORN_CMD_ARGS > config file)', () => {
  const gunicorn = (c: Partial<Container>, read = nothingMounted) => serverShutdownOf({ name: 'app', ...c } as Container, undefined, read)?.drain;
  it('the command line wins over GUNICORN_CMD_ARGS', () => {
    const t = gunicorn({ command: ['gunicorn', '--graceful-timeout=50', 'app:app'], env: [{ name: 'GUNICORN_CMD_ARGS', value: '--graceful-timeout 20' }] });
    expect(t).toMatchObject({ seconds: 50, written: true, at: { kind: 'arg', field: 'command', index: 1 } });
  });
  it('python -m gunicorn and a value only in GUNICORN_CMD_ARGS', () => {
    expect(gunicorn({ command: ['python', '-m', 'gunicorn', 'app:app'], env: [{ name: 'GUNICORN_CMD_ARGS', value: '--graceful-timeout 20' }] })).toMatchObject({
      seconds: 20,
      at: { kind: 'env', name: 'GUNICORN_CMD_ARGS' },
    });
  });
  it('no written value and no visible config file: unknown (./gunicorn.conf.py may set it)', () => {
    expect(gunicorn({ command: ['gunicorn', 'app:app'] })).toBeUndefined();
    expect(gunicorn({ command: ['gunicorn', 'app:app'], workingDir: '/app' })).toBeUndefined();
  });
  it('the default ./gunicorn.conf.py under workingDir, mounted and silent on the setting: the default 30 s', () => {
    expect(gunicorn({ command: ['gunicorn', 'app:app'], workingDir: '/app' }, files({ '/app/gunicorn.conf.py': 'workers = 2\n' }))).toMatchObject({
      seconds: 30,
      written: false,
    });
  });
  it('a python: config module, --chdir, or a value the file computes: unknown', () => {
    expect(gunicorn({ command: ['gunicorn', '-c', 'python:conf', 'app:app'] })).toBeUndefined();
    expect(gunicorn({ command: ['gunicorn', '-c', '/c.py', 'app:app'] }, files({ '/c.py': 'graceful_timeout = int(os.environ["T"])\n' }))).toBeUndefined();
    expect(gunicornConfigGracefulTimeout('graceful_timeout = 45  # seconds\n')).toBe(45);
    expect(gunicornConfigGracefulTimeout('# graceful_timeout = 45\nworkers = 3\n')).toBeUndefined();
  });
});

describe('uvicorn --timeout-graceful-shutdown (https://www.uvicorn.org/settings/#timeouts)', () => {
  const uvicorn = (c: Partial<Container>) => serverShutdownOf({ name: 'app', ...c } as Container, undefined, nothingMounted)?.drain;
  it('flag, env, or unbounded by default', () => {
    expect(uvicorn({ command: ['uvicorn', 'app:app', '--timeout-graceful-shutdown', '15'] })).toMatchObject({ seconds: 15, written: true });
    expect(uvicorn({ args: ['uvicorn', 'app:app'], env: [{ name: 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN', value: '12' }] })).toMatchObject({ seconds: 12 });
    expect(uvicorn({ command: ['uvicorn', 'app:app'] })).toMatchObject({ seconds: undefined, written: false });
  });
  it('gunicorn with uvicorn workers is gunicorn', () => {
    expect(
      serverShutdownOf(
        { name: 'a', command: ['gunicorn', '-k', 'uvicorn.workers.UvicornWorker', '--graceful-timeout', '9', 'm:app'] } as Container,
        undefined,
        nothingMounted,
      )?.server,
    ).toBe('gunicorn');
  });
});

describe('Caddy global options (https://caddyserver.com/docs/caddyfile/options#grace-period)', () => {
  it('reads grace_period and shutdown_delay from the global block only', () => {
    const text =
      '# top\n{\n\temail ops@example.com\n\tgrace_period 1m30s\n\tshutdown_delay 2d\n\tservers {\n\t\tgrace_period 5s\n\t}\n}\nexample.com {\n\tfile_server\n}\n';
    expect(caddyfileShutdownOptions(text)).toEqual({
      gracePeriod: { text: '1m30s', seconds: 90, line: 4 },
      shutdownDelay: { text: '2d', seconds: 172800, line: 5 },
    });
    expect(caddyfileShutdownOptions(':80 {\n\trespond "grace_period 5s"\n}\n')).toEqual({});
    expect(caddyfileShutdownOptions('{\n\tgrace_period {$GRACE}\n}\n')).toBe('unparsed');
    expect(caddyfileShutdownOptions('{\n\timport globals\n}\n')).toBe('unparsed');
  });
  it('JSON takes duration strings or nanoseconds', () => {
    expect(caddyJsonShutdownOptions('{"apps":{"http":{"grace_period":"10s","shutdown_delay":5000000000}}}')).toMatchObject({
      gracePeriod: { seconds: 10 },
      shutdownDelay: { seconds: 5 },
    });
  });
  it("the official image's own Caddyfile sets nothing; a config file elsewhere in the image is unknown", () => {
    const argv = ['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'];
    const c = { name: 'caddy' } as Container;
    expect(serverShutdownOf(c, argv, nothingMounted, true)).toMatchObject({ server: 'Caddy', drain: { seconds: undefined }, delay: { seconds: 0 } });
    expect(serverShutdownOf(c, argv, nothingMounted, false)).toBeUndefined();
    expect(serverShutdownOf(c, argv, () => 'unseen', true)).toBeUndefined();
  });
});

describe('php-fpm process_control_timeout (php-src sapi/fpm/php-fpm.conf.in: default 0, units s, m, h, d)', () => {
  const noInclude = () => false;
  it('reads the [global] value with its unit, the last one winning', () => {
    expect(phpFpmProcessControlTimeout('[global]\nprocess_control_timeout = 10\nprocess_control_timeout = 2m\n', noInclude)).toEqual({
      seconds: 120,
      text: '2m',
      line: 3,
    });
    expect(phpFpmProcessControlTimeout('process_control_timeout = 30s\n[www]\nlisten = 9000\n', noInclude)).toMatchObject({ seconds: 30 });
  });
  it('ignores comments and pool sections; an include it cannot follow or an odd value is unparsed', () => {
    expect(phpFpmProcessControlTimeout('[www]\n;process_control_timeout = 10s\nlisten = 9000\n', noInclude)).toBeUndefined();
    expect(phpFpmProcessControlTimeout('[global]\ninclude=/etc/fpm/*.conf\n', noInclude)).toBe('unparsed');
    expect(phpFpmProcessControlTimeout('[global]\nprocess_control_timeout = 10 seconds\n', noInclude)).toBe('unparsed');
  });
});

describe('files of ConfigMap mounts', () => {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fpm' }, data: { 'www.conf': 'a', 'zz.conf': 'b', 'notes.txt': 'c' } },
  ];
  const podSpec = {
    volumes: [
      { name: 'fpm', configMap: { name: 'fpm' } },
      { name: 'one', configMap: { name: 'fpm', items: [{ key: 'zz.conf', path: 'shutdown.conf' }] } },
      { name: 'secret', secret: { secretName: 's' } },
    ],
  };
  const c = (volumeMounts: unknown[]) => ({ name: 'php', volumeMounts }) as Container;
  it('a directory mount shows every key; items rename them; subPath shows one key at the mount path', () => {
    expect(mountedFilesUnder(c([{ name: 'fpm', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d').files.map((f) => f.path)).toEqual([
      '/etc/fpm.d/notes.txt',
      '/etc/fpm.d/www.conf',
      '/etc/fpm.d/zz.conf',
    ]);
    expect(mountedFileAt(c([{ name: 'one', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d/shutdown.conf')).toMatchObject({ text: 'b' });
    expect(mountedFileAt(c([{ name: 'fpm', mountPath: '/etc/www.conf', subPath: 'www.conf' }]), podSpec, 'default', objects, '/etc/www.conf')).toMatchObject({
      text: 'a',
      configMap: 'fpm',
    });
  });
  it('a Secret, or a ConfigMap of another namespace, is unseen; an unmounted path is the image’s', () => {
    expect(mountedFileAt(c([{ name: 'secret', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d/x.conf')).toBe('unseen');
    expect(mountedFilesUnder(c([{ name: 'fpm', mountPath: '/etc/fpm.d' }]), podSpec, 'other', objects, '/etc/fpm.d').unseen).toBe(true);
    expect(mountedFileAt(c([{ name: 'fpm', mountPath: '/srv' }]), podSpec, 'default', objects, '/etc/fpm.d/x.conf')).toBeUndefined();
    // The directory mount hides the image's files there.
    expect(mountedFileAt(c([{ name: 'fpm', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d/missing.conf')).toBe('unseen');
    // The lookup for a program that tries several files tells that apart from a volume it cannot see.
    expect(mountedFileLookup(c([{ name: 'fpm', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d/missing.conf')).toBe('absent');
    expect(mountedFileLookup(c([{ name: 'secret', mountPath: '/etc/fpm.d' }]), podSpec, 'default', objects, '/etc/fpm.d/x.conf')).toBe('unseen');
    expect(mountedFileLookup(c([{ name: 'fpm', mountPath: '/srv' }]), podSpec, 'default', objects, '/etc/fpm.d/x.conf')).toBeUndefined();
    expect(mountedFilesUnder(c([{ name: 'fpm', mountPath: '/etc/fpm.d/x.conf', subPath: 'x.conf' }]), podSpec, 'default', objects, '/etc/fpm.d').unseen).toBe(
      true,
    );
  });
});
