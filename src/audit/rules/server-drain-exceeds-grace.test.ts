import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const sleep = (seconds: number) => ({ preStop: { sleep: { seconds } } });
/** The app `web` behind its Service, one container with these fields, the pod with these fields. */
const app = (container: Record<string, unknown>, podSpec: Record<string, unknown> = {}, extra: Array<Record<string, unknown>> = []) =>
  manifests({ containers: [{ ...APP, ...container }], podSpec, extra });
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const mountAt = (mountPath: string, subPath?: string) => ({
  volumeMounts: [{ name: 'config', mountPath, ...(subPath ? { subPath } : {}) }],
});
const volume = (configMap: string) => ({ volumes: [{ name: 'config', configMap: { name: configMap } }] });
const grace = (needed: number) => ({ spec: { template: { spec: { terminationGracePeriodSeconds: needed } } } });

// docs/reference/app-frameworks.md: Spring Boot's phase (30 s) and ASP.NET Core's ShutdownTimeout (30 s from .NET 7, 5 s before).
const springOrDotnet = (container: string, spec = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n${spec}      containers:\n      - name: api\n        image: registry.example.com/api:1\n        ports: [{containerPort: 8080}]\n${container}---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 8080}]\n`;
const preStop10 = '        lifecycle: {preStop: {sleep: {seconds: 10}}}\n';
const aspnet = (tag: string) => ({
  file: 'api/Dockerfile',
  text: `FROM mcr.microsoft.com/dotnet/aspnet:${tag} AS base\nWORKDIR /app\nEXPOSE 8080\n\nFROM base AS final\nWORKDIR /app\nCOPY publish/ .\nENTRYPOINT ["dotnet", "Api.dll"]\n`,
});

testRule('server-drain-exceeds-grace', {
  valid: [
    {
      name: 'gunicorn with no written graceful timeout and no visible config file (./gunicorn.conf.py may set it)',
      text: app({ command: ['gunicorn', 'app:app'], lifecycle: sleep(10) }),
    },
    {
      name: 'gunicorn --graceful-timeout that fits after the preStop',
      text: app({ command: ['gunicorn', '--graceful-timeout', '20', 'app:app'], lifecycle: sleep(10) }),
    },
    {
      name: "gunicorn's default 30 s with the default grace and no preStop: gunicorn gives up exactly when the kubelet would kill it",
      text: app({ command: ['gunicorn', '-c', '/etc/gunicorn/conf.py', 'app:app'], ...mountAt('/etc/gunicorn') }, volume('gunicorn'), [
        configMap('gunicorn', { 'conf.py': 'workers = 4\n' }),
      ]),
    },
    {
      name: 'uvicorn without --timeout-graceful-shutdown waits unbounded: not judged here',
      text: app({ command: ['uvicorn', 'app:app'], lifecycle: sleep(10) }),
    },
    {
      name: 'uvicorn timeout from a Secret reference is not visible',
      text: app({
        command: ['uvicorn', 'app:app'],
        env: [{ name: 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        lifecycle: sleep(10),
      }),
    },
    {
      name: 'not serving: no Service selects the pods',
      text: manifests({
        service: false,
        containers: [{ name: 'worker', image: 'example/web:1.0', command: ['gunicorn', '--graceful-timeout', '120', 'app:app'] }],
      }),
    },
    {
      name: 'Caddy config from a ConfigMap the input does not hold',
      text: app({ image: 'caddy:2.8', lifecycle: sleep(10), ...mountAt('/etc/caddy') }, volume('caddy')),
    },
    { name: "the official Caddy image's own Caddyfile: eternal grace, no delay", text: app({ image: 'caddy:2.8', lifecycle: sleep(10) }) },
    {
      name: 'Caddy grace_period that fits',
      text: app({ image: 'caddy:2.8', lifecycle: sleep(5), ...mountAt('/etc/caddy') }, volume('caddy'), [
        configMap('caddy', { Caddyfile: '{\n\tgrace_period 20s\n}\n:8080 {\n\trespond "ok"\n}\n' }),
      ]),
    },
    {
      name: 'a grace_period inside a site block is not a global option',
      text: app({ image: 'caddy:2.8', lifecycle: sleep(10), ...mountAt('/etc/caddy') }, volume('caddy'), [
        configMap('caddy', { Caddyfile: ':8080 {\n\trespond "grace_period 60s"\n}\n' }),
      ]),
    },
    {
      name: 'Spring Boot graceful with the default phase and no preStop: 30 s fits the 30 s grace',
      text: springOrDotnet('        env: [{name: SERVER_SHUTDOWN, value: graceful}]\n'),
    },
    {
      name: 'Spring Boot immediate: no phase to wait for (spring-shutdown-immediate reports it)',
      text: springOrDotnet(`        env: [{name: SERVER_SHUTDOWN, value: immediate}]\n${preStop10}`),
    },
    {
      name: 'Spring Boot of unknown version with nothing set: whether it is graceful is not visible',
      text: springOrDotnet(`        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n${preStop10}`),
    },
    { name: '.NET 6: a 5 s host timeout fits', files: [aspnet('6.0'), { file: 'deploy.yaml', text: springOrDotnet(preStop10) }] },
    {
      name: '.NET of unknown version, nothing set: silent',
      text: springOrDotnet(`        env: [{name: ASPNETCORE_URLS, value: "http://+:8080"}]\n${preStop10}`),
    },
    {
      name: '.NET 8 with the grace period raised for its 30 s',
      files: [aspnet('8.0'), { file: 'deploy.yaml', text: springOrDotnet(preStop10, '      terminationGracePeriodSeconds: 45\n') }],
    },
  ],
  invalid: [
    {
      name: 'gunicorn --graceful-timeout 60 against the default grace with a 10 s preStop',
      text: app({ command: ['gunicorn', '--graceful-timeout', '60', '--bind', '0.0.0.0:8080', 'app:app'], lifecycle: sleep(10) }),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: {
            server: 'gunicorn',
            total: '60 s',
            origin: '--graceful-timeout 60',
            window: '20 s',
            shortfall: '40 s',
            preStopText: 'a preStop of 10 s',
            needed: 70,
          },
          fix: 'set terminationGracePeriodSeconds to at least 70 (10 s preStop + 60 s of gunicorn shutdown), or lower graceful_timeout to fit in the 20 s the pod leaves it',
          patch: grace(70),
        },
      ],
    },
    {
      name: 'gunicorn --graceful-timeout in GUNICORN_CMD_ARGS',
      text: app(
        { command: ['gunicorn', 'app:app'], env: [{ name: 'GUNICORN_CMD_ARGS', value: '--workers 4 --graceful-timeout 45' }] },
        { terminationGracePeriodSeconds: 40 },
      ),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: { origin: '--graceful-timeout 45 in GUNICORN_CMD_ARGS', window: '40 s', preStopText: 'no preStop delay' },
          patch: grace(45),
        },
      ],
    },
    {
      name: "gunicorn's default 30 s once its mounted config file shows it is not set, with a preStop",
      text: app(
        { command: ['gunicorn', '--config', '/etc/gunicorn/gunicorn.conf.py', 'app:app'], lifecycle: sleep(5), ...mountAt('/etc/gunicorn') },
        volume('gunicorn'),
        [configMap('gunicorn', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8080"\nworkers = 4\n' })],
      ),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: {
            total: '30 s',
            origin: 'graceful_timeout is not set in /etc/gunicorn/gunicorn.conf.py (ConfigMap gunicorn), so the default 30 s applies',
            window: '25 s',
          },
          patch: grace(35),
        },
      ],
    },
    {
      name: 'graceful_timeout written in the mounted config file (subPath mount)',
      text: app(
        {
          command: ['gunicorn', '-c', '/app/gunicorn.conf.py', 'app:app'],
          lifecycle: sleep(10),
          ...mountAt('/app/gunicorn.conf.py', 'gunicorn.conf.py'),
        },
        { terminationGracePeriodSeconds: 60, ...volume('gunicorn') },
        [configMap('gunicorn', { 'gunicorn.conf.py': 'graceful_timeout = 90  # long reports\n' })],
      ),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: { origin: 'graceful_timeout = 90 in /app/gunicorn.conf.py (ConfigMap gunicorn)', window: '50 s' },
          patch: grace(100),
        },
      ],
    },
    {
      name: 'uvicorn --timeout-graceful-shutdown from its env variable',
      text: app({ command: ['uvicorn', 'app:app'], env: [{ name: 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN', value: '30' }], lifecycle: sleep(5) }),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: { server: 'uvicorn', origin: 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=30', window: '25 s' },
          patch: grace(35),
        },
      ],
    },
    {
      name: 'Caddy shutdown_delay that outlasts the window: killed while still serving',
      text: app({ image: 'caddy:2.8', lifecycle: sleep(10), ...mountAt('/etc/caddy/Caddyfile', 'Caddyfile') }, volume('caddy'), [
        configMap('caddy', { Caddyfile: '{\n\tshutdown_delay 30s\n}\n:8080 {\n\trespond "ok"\n}\n' }),
      ]),
      findings: [
        {
          messageId: 'delayOutlastsGrace',
          container: 'app',
          data: {
            server: 'Caddy',
            delaySeconds: '30 s',
            delayOrigin: 'shutdown_delay 30s in /etc/caddy/Caddyfile (ConfigMap caddy)',
            window: '20 s',
            drain: '5 s',
          },
          fixId: 'raiseGraceForDelay',
          patch: grace(45),
        },
      ],
    },
    {
      name: 'Caddy grace_period after its shutdown_delay, against the grace',
      text: app({ image: 'caddy:2.8', ...mountAt('/etc/caddy') }, volume('caddy'), [
        configMap('caddy', {
          Caddyfile: '# edge\n{\n\tshutdown_delay 5s\n\tgrace_period 1m\n\tservers {\n\t\tprotocols h1 h2\n\t}\n}\n:8080 {\n\treverse_proxy app:9000\n}\n',
        }),
      ]),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: { total: '65 s', origin: 'grace_period 1m in /etc/caddy/Caddyfile (ConfigMap caddy)', delay: ', after shutdown_delay 5 s', window: '30 s' },
          patch: grace(65),
        },
      ],
    },
    {
      name: 'Caddy JSON config with a nanosecond grace_period',
      text: app(
        { image: 'caddy:2.8', command: ['caddy', 'run', '--config', '/config/caddy.json'], lifecycle: sleep(10), ...mountAt('/config') },
        volume('caddy'),
        [configMap('caddy', { 'caddy.json': JSON.stringify({ apps: { http: { grace_period: 30000000000, servers: {} } } }) })],
      ),
      findings: [{ messageId: 'drainCutByKill', container: 'app', data: { total: '30 s', window: '20 s' }, patch: grace(40) }],
    },
    {
      name: 'php-fpm process_control_timeout from a mounted pool file, longer than the window',
      text: app({ image: 'php:8.3-fpm', lifecycle: sleep(10), ...mountAt('/usr/local/etc/php-fpm.d/zz-shutdown.conf', 'zz-shutdown.conf') }, volume('fpm'), [
        configMap('fpm', { 'zz-shutdown.conf': '[global]\nprocess_control_timeout = 1m\n' }),
      ]),
      findings: [
        {
          messageId: 'drainCutByKill',
          container: 'app',
          data: { server: 'php-fpm', origin: 'process_control_timeout = 1m in /usr/local/etc/php-fpm.d/zz-shutdown.conf (ConfigMap fpm)', window: '20 s' },
          patch: grace(70),
        },
      ],
    },
    {
      name: 'two servers in one pod: the grace period is pod-wide, so both fixes set the larger need',
      text: manifests({
        containers: [
          { ...APP, command: ['gunicorn', '--graceful-timeout', '60', 'app:app'], lifecycle: sleep(10) },
          { name: 'events', image: 'example/events:1.0', command: ['uvicorn', 'events:app', '--timeout-graceful-shutdown', '40'], lifecycle: sleep(5) },
        ],
      }),
      findings: [
        { messageId: 'drainCutByKill', container: 'app', data: { server: 'gunicorn', total: '60 s', needed: 70 }, patch: grace(70) },
        { messageId: 'drainCutByKill', container: 'events', data: { server: 'uvicorn', total: '40 s', window: '25 s', needed: 70 }, patch: grace(70) },
      ],
    },
    {
      name: 'graceful with the default 30 s phase behind a 10 s preStop: SIGKILL at 20 s',
      text: springOrDotnet(`        env: [{name: SERVER_SHUTDOWN, value: graceful}]\n${preStop10}`),
      findings: [
        {
          messageId: 'springPhaseOutlastsGrace',
          line: 8,
          container: 'api',
          data: { server: 'Spring Boot', total: '30 s', window: '20 s', phaseFrom: 'the default; an application.yml packaged in the jar could set another' },
          fix: 'set terminationGracePeriodSeconds to at least 40 (10 s preStop + 30 s of Spring Boot shutdown), or lower spring.lifecycle.timeout-per-shutdown-phase to fit in the 20 s the pod leaves it',
          patch: grace(40),
        },
      ],
    },
    {
      name: '.NET 8 image: the host waits 30 s but the grace period leaves 20 s',
      files: [aspnet('8.0'), { file: 'deploy.yaml', text: springOrDotnet(preStop10) }],
      findings: [
        {
          messageId: 'dotnetTimeoutOutlastsGrace',
          line: 8,
          container: 'api',
          data: {
            server: 'ASP.NET Core',
            total: '30 s',
            window: '20 s',
            timeoutFrom: 'the .NET 8.0 default; code that configures HostOptions could set another',
          },
          patch: grace(40),
        },
      ],
    },
    {
      name: 'an explicit ASP.NET timeout shorter than the drain the workload declares',
      text: springOrDotnet('        env: [{name: DOTNET_SHUTDOWNTIMEOUTSECONDS, value: "3"}]\n').replace(
        'metadata: {name: api}\n',
        'metadata:\n  name: api\n  annotations: {zerodrop.dev/drain-seconds: "10"}\n',
      ),
      findings: [
        {
          messageId: 'dotnetTimeoutCutsDrain',
          line: 12,
          container: 'api',
          fix: "raise the host's shutdown timeout to at least 10 s where it is set (env DOTNET_SHUTDOWNTIMEOUTSECONDS=3), and keep terminationGracePeriodSeconds above the preStop plus that timeout",
        },
      ],
    },
  ],
});
