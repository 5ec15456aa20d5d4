import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appShutdownDefault } from './appShutdown.js';
import { dotnetImageVersion, dotnetShutdownView } from './aspnetCore.js';
import { containerEnvironment, dockerfileEnv } from './containerEnv.js';
import { mountedConfigMapFiles } from './mountedFiles.js';
import type { Container } from './objects.js';
import { springDurationSeconds, springShutdownView, type SpringInputs } from './springBoot.js';

const parseYaml = (t: string) => parseAllDocuments(t).map((d) => d.toJS() as unknown);
const spring = (over: Partial<SpringInputs>) =>
  springShutdownView({ env: new Map(), hiddenEnv: [], argv: [], files: [], workingDir: undefined, parseYaml, ...over });

describe('Spring Boot shutdown defaults (docs/reference/app-frameworks.md#spring-boot)', () => {
  it('server.shutdown is immediate from 2.3 until 3.4 made graceful the default; before 2.3 it does not exist', () => {
    expect(appShutdownDefault('spring-boot/server.shutdown', '2.2.13')?.value).toBe('unsupported');
    expect(appShutdownDefault('spring-boot/server.shutdown', '3.3.5')?.value).toBe('immediate');
    expect(appShutdownDefault('spring-boot/server.shutdown', '3.4.0')?.value).toBe('graceful');
    expect(appShutdownDefault('spring-boot/server.shutdown', undefined)).toBeUndefined();
  });
  it('reads Durations the way Spring Boot does: a bare number is milliseconds (LifecycleProperties declares no unit)', () => {
    expect(springDurationSeconds('45s')).toBe(45);
    expect(springDurationSeconds('1m')).toBe(60);
    expect(springDurationSeconds('PT1M30S')).toBe(90);
    expect(springDurationSeconds('20000')).toBe(20);
    expect(springDurationSeconds(30)).toBe(0.03);
    expect(springDurationSeconds('soon')).toBeUndefined();
  });
});

describe('Spring Boot settings as the input shows them', () => {
  it('is not Spring Boot without SPRING_* variables, -Dspring./--spring. flags or a Spring config file', () => {
    expect(spring({ env: new Map([['SERVER_PORT', '8080']]), argv: ['java', '-jar', '/app.jar'] })).toBeUndefined();
    expect(spring({ env: new Map([['SPRING_BACKEND_URL', 'http://orders:8080']]), argv: ['node', 'server.js'] })).toBeUndefined();
    expect(spring({ env: new Map([['SPRING_DATASOURCE_URL', 'jdbc:postgresql://db/orders']]) })?.evidence).toBe('its environment sets SPRING_DATASOURCE_URL');
  });
  it('binds both environment forms of timeout-per-shutdown-phase (canonical and legacy, SystemEnvironmentPropertyMapper)', () => {
    const legacy = spring({
      env: new Map([
        ['SPRING_PROFILES_ACTIVE', 'prod'],
        ['SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE', '20s'],
      ]),
    });
    const canonical = spring({
      env: new Map([
        ['SPRING_PROFILES_ACTIVE', 'prod'],
        ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', '25s'],
      ]),
    });
    expect(legacy?.phaseTimeout?.value).toBe(20);
    expect(canonical?.phaseTimeout?.value).toBe(25);
  });
  it('takes the highest source: arguments over SPRING_APPLICATION_JSON over system properties over the environment', () => {
    const env = new Map([
      ['SERVER_SHUTDOWN', 'immediate'],
      ['JAVA_TOOL_OPTIONS', '-Xmx512m -Dserver.shutdown=graceful'],
    ]);
    expect(spring({ env })?.shutdown).toMatchObject({ value: 'graceful', source: 'system property', written: 'JAVA_TOOL_OPTIONS -Dserver.shutdown=graceful' });
    env.set('SPRING_APPLICATION_JSON', '{"server":{"shutdown":"immediate"}}');
    expect(spring({ env })?.shutdown).toMatchObject({ value: 'immediate', source: 'SPRING_APPLICATION_JSON' });
    expect(spring({ env, argv: ['sh', '-c', 'exec java $JAVA_OPTS -jar /app.jar --server.shutdown=graceful'] })?.shutdown).toMatchObject({
      value: 'graceful',
      source: 'argument',
    });
  });
  it('reads a config file only where Spring Boot looks: ./config of a known working directory, or a named location', () => {
    const files = [{ path: '/workspace/config/application.yml', text: 'server:\n  shutdown: graceful\n', origin: 'ConfigMap app key application.yml' }];
    expect(spring({ files, workingDir: '/workspace' })?.shutdown).toMatchObject({ value: 'graceful', certain: true });
    expect(spring({ files, workingDir: '/app', env: new Map([['SPRING_PROFILES_ACTIVE', 'k8s']]) })?.shutdown).toBeUndefined();
    // Working directory unknown: a `config` directory may be read, not certainly.
    expect(spring({ files })?.shutdown).toMatchObject({ value: 'graceful', certain: false });
    const elsewhere = [
      { path: '/etc/orders/application.yml', text: 'server.shutdown: immediate\nspring.application.name: orders\n', origin: 'ConfigMap o key application.yml' },
    ];
    expect(spring({ files: elsewhere, workingDir: '/' })).toBeUndefined();
    expect(spring({ files: elsewhere, env: new Map([['SPRING_CONFIG_ADDITIONAL_LOCATION', 'optional:file:/etc/orders/']]) })?.shutdown).toMatchObject({
      value: 'immediate',
      certain: true,
    });
  });
  it('applies a profile document only when its profile is active', () => {
    const text = 'server:\n  shutdown: graceful\n---\nspring:\n  config:\n    activate:\n      on-profile: legacy\nserver:\n  shutdown: immediate\n';
    const files = [{ path: '/config/application.yml', text, origin: 'ConfigMap c key application.yml' }];
    expect(spring({ files, workingDir: '/' })?.shutdown?.value).toBe('graceful');
    expect(spring({ files, workingDir: '/', env: new Map([['SPRING_PROFILES_ACTIVE', 'legacy']]) })?.shutdown?.value).toBe('immediate');
  });
});

describe('ASP.NET Core shutdown timeout (HostOptions.ShutdownTimeout)', () => {
  const dotnet = (over: Partial<Parameters<typeof dotnetShutdownView>[0]>) =>
    dotnetShutdownView({ env: new Map(), hiddenEnv: [], argv: [], files: [], workingDir: undefined, images: [], ...over });
  it('defaults to 5 s before .NET 7 and 30 s from it (dotnet/runtime#63712), known only from an official image tag', () => {
    expect(dotnetImageVersion(['mcr.microsoft.com/dotnet/aspnet:6.0-bookworm-slim'])?.version).toBe('6.0');
    expect(dotnet({ images: ['mcr.microsoft.com/dotnet/aspnet:6.0'] })?.timeout).toMatchObject({ seconds: 5, explicit: false });
    expect(dotnet({ images: ['mcr.microsoft.com/dotnet/aspnet:8.0'] })?.timeout).toMatchObject({ seconds: 30, explicit: false });
    expect(dotnet({ env: new Map([['ASPNETCORE_URLS', 'http://+:8080']]) })?.timeout).toBeUndefined();
  });
  it('reads the command line over plain variables over appsettings over DOTNET_/ASPNETCORE_ variables', () => {
    const env = new Map([['DOTNET_SHUTDOWNTIMEOUTSECONDS', '20']]);
    const files = [{ path: '/app/appsettings.json', text: '{"Logging": {}, "ShutdownTimeoutSeconds": 45}', origin: 'ConfigMap a key appsettings.json' }];
    expect(dotnet({ env })?.timeout).toMatchObject({ seconds: 20, explicit: true });
    expect(dotnet({ env, files, workingDir: '/app' })?.timeout?.seconds).toBe(45);
    expect(dotnet({ env, files, workingDir: '/app', argv: ['dotnet', 'Api.dll', '--shutdownTimeoutSeconds=60'] })?.timeout?.seconds).toBe(60);
    // .NET Core 3.1 ignored the setting in configuration (dotnet/runtime#36059): its 5 s default holds.
    expect(dotnet({ env, images: ['mcr.microsoft.com/dotnet/aspnet:3.1'] })?.timeout).toMatchObject({ seconds: 5, explicit: false });
    // Digits only (NumberStyles.None): "20s" is not a value.
    expect(dotnet({ env: new Map([['DOTNET_SHUTDOWNTIMEOUTSECONDS', '20s']]) })?.timeout).toBeUndefined();
  });
});

describe('what a container sees from the input', () => {
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app' },
      data: { 'application.yml': 'a: 1', 'logback.xml': '<x/>', SPRING_PROFILES_ACTIVE: 'prod' },
    },
  ];
  it('mounts every key of a ConfigMap volume, or one key at the path with subPath', () => {
    const podSpec = { volumes: [{ name: 'cfg', configMap: { name: 'app' } }] };
    const all = mountedConfigMapFiles({ volumeMounts: [{ name: 'cfg', mountPath: '/config/' }] }, podSpec, 'default', objects);
    expect(all.map((f) => f.path)).toEqual(['/config/application.yml', '/config/logback.xml', '/config/SPRING_PROFILES_ACTIVE']);
    const one = mountedConfigMapFiles(
      { volumeMounts: [{ name: 'cfg', mountPath: '/app/application.yml', subPath: 'application.yml' }] },
      podSpec,
      'default',
      objects,
    );
    expect(one).toEqual([
      { path: '/app/application.yml', text: 'a: 1', configMap: 'app', key: 'application.yml', origin: 'ConfigMap app key application.yml' },
    ]);
  });
  it('takes env over envFrom over the image ENV, and says which sources it cannot read', () => {
    const container: Container = {
      envFrom: [{ configMapRef: { name: 'app' } }, { secretRef: { name: 'db' } }],
      env: [{ name: 'SPRING_PROFILES_ACTIVE', value: 'k8s' }, { name: 'X', valueFrom: { fieldRef: {} } } as { name: string }],
    };
    const env = containerEnvironment(container, 'default', objects, dockerfileEnv(['JAVA_OPTS="-Xmx1g -Dfoo=bar" SPRING_PROFILES_ACTIVE=docker']));
    expect(env.vars.get('SPRING_PROFILES_ACTIVE')).toBe('k8s');
    expect(env.vars.get('JAVA_OPTS')).toBe('-Xmx1g -Dfoo=bar');
    expect(env.vars.has('X') && env.vars.get('X') === undefined).toBe(true);
    expect(env.hidden).toEqual(['envFrom Secret db']);
  });
});
