import { testRule } from './fixtures/ruleTester.js';

// docs/reference/app-frameworks.md: Spring Boot's phase (30 s) and ASP.NET Core's ShutdownTimeout (30 s from .NET 7, 5 s before).
const deployment = (container: string, spec = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n${spec}      containers:\n      - name: api\n        image: registry.example.com/api:1\n        ports: [{containerPort: 8080}]\n${container}---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 8080}]\n`;
const preStop10 = '        lifecycle: {preStop: {sleep: {seconds: 10}}}\n';
const aspnet = (tag: string) => ({
  file: 'api/Dockerfile',
  text: `FROM mcr.microsoft.com/dotnet/aspnet:${tag} AS base\nWORKDIR /app\nEXPOSE 8080\n\nFROM base AS final\nWORKDIR /app\nCOPY publish/ .\nENTRYPOINT ["dotnet", "Api.dll"]\n`,
});
const gracePatch = (n: number) => ({ spec: { template: { spec: { terminationGracePeriodSeconds: n } } } });

testRule('shutdown-timeout-exceeds-grace', {
  valid: [
    {
      name: 'Spring Boot graceful with the default phase and no preStop: 30 s fits the 30 s grace',
      text: deployment('        env: [{name: SERVER_SHUTDOWN, value: graceful}]\n'),
    },
    {
      name: 'Spring Boot immediate: no phase to wait for (spring-shutdown-immediate reports it)',
      text: deployment(`        env: [{name: SERVER_SHUTDOWN, value: immediate}]\n${preStop10}`),
    },
    {
      name: 'Spring Boot of unknown version with nothing set: whether it is graceful is not visible',
      text: deployment(`        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n${preStop10}`),
    },
    { name: '.NET 6: a 5 s host timeout fits', files: [aspnet('6.0'), { file: 'deploy.yaml', text: deployment(preStop10) }] },
    { name: '.NET of unknown version, nothing set: silent', text: deployment(`        env: [{name: ASPNETCORE_URLS, value: "http://+:8080"}]\n${preStop10}`) },
    {
      name: '.NET 8 with the grace period raised for its 30 s',
      files: [aspnet('8.0'), { file: 'deploy.yaml', text: deployment(preStop10, '      terminationGracePeriodSeconds: 45\n') }],
    },
  ],
  invalid: [
    {
      name: 'graceful with the default 30 s phase behind a 10 s preStop: SIGKILL at 20 s',
      text: deployment(`        env: [{name: SERVER_SHUTDOWN, value: graceful}]\n${preStop10}`),
      findings: [
        {
          messageId: 'springPhaseOutlastsGrace',
          line: 8,
          container: 'api',
          data: { phase: '30 s', appWindow: '20 s', phaseFrom: 'the default; an application.yml packaged in the jar could set another' },
          fix: 'set terminationGracePeriodSeconds to at least 40 (preStop + the shutdown budget), or lower the budget below what the grace period leaves',
          patch: gracePatch(40),
        },
      ],
    },
    {
      name: '.NET 8 image: the host waits 30 s but the grace period leaves 20 s',
      files: [aspnet('8.0'), { file: 'deploy.yaml', text: deployment(preStop10) }],
      findings: [
        {
          messageId: 'dotnetTimeoutOutlastsGrace',
          line: 8,
          container: 'api',
          data: { timeout: '30 s', timeoutFrom: 'the .NET 8.0 default; code that configures HostOptions could set another' },
          patch: gracePatch(40),
        },
      ],
    },
    {
      name: 'an explicit ASP.NET timeout shorter than the drain the workload declares',
      text: deployment('        env: [{name: DOTNET_SHUTDOWNTIMEOUTSECONDS, value: "3"}]\n').replace(
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
