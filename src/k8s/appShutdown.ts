/**
 * The shutdown settings of application frameworks that decide what a server does with its
 * in-flight requests after SIGTERM, one row each with its sources: the property, its default by
 * framework version, and every way the input can set it (docs/reference/app-frameworks.md).
 * src/k8s/springBoot.ts and src/k8s/aspnetCore.ts read the input against these rows; rules and
 * the lab read the defaults from here.
 */
import { tagInRange, type VersionRange } from './imageRef.js';

export type AppShutdownSettingId = 'spring-boot/server.shutdown' | 'spring-boot/timeout-per-shutdown-phase' | 'aspnetcore/shutdown-timeout';

export interface AppShutdownDefault {
  /** Framework versions the default applies to, first match wins; none: every version. */
  versions?: VersionRange;
  /** The default as the framework spells it; `unsupported` when the setting does not exist in those versions. */
  value: string;
  /** For timeouts: the default in seconds. */
  seconds?: number;
}

export interface AppShutdownSetting {
  id: AppShutdownSettingId;
  framework: 'Spring Boot' | 'ASP.NET Core';
  /** The property as the framework's docs name it. */
  property: string;
  /** What it does at shutdown, for messages. */
  effect: string;
  defaults: readonly AppShutdownDefault[];
  /** Every form the input can hold it in (environment names exactly as bound, flags, file keys). */
  forms: readonly string[];
  sources: readonly string[];
}

export const APP_SHUTDOWN_SETTINGS: Readonly<Record<AppShutdownSettingId, AppShutdownSetting>> = {
  'spring-boot/server.shutdown': {
    id: 'spring-boot/server.shutdown',
    framework: 'Spring Boot',
    property: 'server.shutdown',
    effect: 'immediate closes the embedded web server at once, cutting in-flight requests; graceful stops accepting and lets active requests finish',
    // The property arrived in 2.3; 3.4 made graceful the default.
    defaults: [{ versions: { below: '2.3' }, value: 'unsupported' }, { versions: { from: '2.3', below: '3.4' }, value: 'immediate' }, { value: 'graceful' }],
    forms: [
      'env SERVER_SHUTDOWN',
      '-Dserver.shutdown= (java arguments, JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, JAVA_OPTS)',
      '--server.shutdown= (application arguments)',
      'SPRING_APPLICATION_JSON',
      'application.{properties,yml,yaml} where Spring Boot looks for config files',
    ],
    sources: [
      'https://docs.spring.io/spring-boot/3.3/reference/web/graceful-shutdown.html',
      'https://docs.spring.io/spring-boot/3.4/reference/web/graceful-shutdown.html',
      'https://github.com/spring-projects/spring-boot/wiki/Spring-Boot-2.3-Release-Notes#graceful-shutdown',
      'https://github.com/spring-projects/spring-boot/issues/40057',
    ],
  },
  'spring-boot/timeout-per-shutdown-phase': {
    id: 'spring-boot/timeout-per-shutdown-phase',
    framework: 'Spring Boot',
    property: 'spring.lifecycle.timeout-per-shutdown-phase',
    effect: 'how long each shutdown phase, the graceful web-server stop first, waits before Spring moves on',
    defaults: [
      { versions: { below: '2.3' }, value: 'unsupported' },
      { value: '30s', seconds: 30 },
    ],
    forms: [
      // Relaxed binding: the canonical form drops the dashes, the legacy form turns them into underscores.
      'env SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE or SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE',
      '-Dspring.lifecycle.timeout-per-shutdown-phase=',
      '--spring.lifecycle.timeout-per-shutdown-phase=',
      'SPRING_APPLICATION_JSON',
      'application.{properties,yml,yaml} where Spring Boot looks for config files',
    ],
    sources: [
      'https://github.com/spring-projects/spring-boot/blob/main/spring-boot-project/spring-boot-autoconfigure/src/main/java/org/springframework/boot/autoconfigure/context/LifecycleProperties.java',
      'https://github.com/spring-projects/spring-boot/blob/main/spring-boot-project/spring-boot/src/main/java/org/springframework/boot/context/properties/source/SystemEnvironmentPropertyMapper.java',
      'https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.relaxed-binding.environment-variables',
      'https://github.com/spring-projects/spring-boot/issues/26469',
    ],
  },
  'aspnetcore/shutdown-timeout': {
    id: 'aspnetcore/shutdown-timeout',
    framework: 'ASP.NET Core',
    property: 'HostOptions.ShutdownTimeout (config key shutdownTimeoutSeconds)',
    effect: 'how long the host waits for Kestrel and the hosted services to stop before it aborts the connections still open',
    // dotnet/runtime#63712 raised the default for .NET 7 (merged January 2022, after .NET 6 shipped).
    defaults: [
      { versions: { below: '7' }, value: '5', seconds: 5 },
      { value: '30', seconds: 30 },
    ],
    forms: [
      'env DOTNET_SHUTDOWNTIMEOUTSECONDS or ASPNETCORE_SHUTDOWNTIMEOUTSECONDS (host configuration)',
      'env SHUTDOWNTIMEOUTSECONDS (app configuration reads every variable)',
      '--shutdownTimeoutSeconds (command line)',
      'shutdownTimeoutSeconds in appsettings.json or appsettings.{Environment}.json',
    ],
    sources: [
      'https://github.com/dotnet/runtime/blob/main/src/libraries/Microsoft.Extensions.Hosting/src/HostOptions.cs',
      'https://github.com/dotnet/runtime/pull/63712',
      'https://learn.microsoft.com/en-us/aspnet/core/fundamentals/host/generic-host#shutdowntimeout',
      'https://github.com/dotnet/runtime/issues/36059',
    ],
  },
};

/** The setting's default for a framework version (undefined: the version is not known, so neither is the default). */
export function appShutdownDefault(id: AppShutdownSettingId, version: string | undefined): AppShutdownDefault | undefined {
  if (version === undefined) return undefined;
  return APP_SHUTDOWN_SETTINGS[id].defaults.find((d) => !d.versions || tagInRange(version, d.versions));
}

/** Whether every version has the same default, so it applies without knowing the version. */
export function versionIndependentDefault(id: AppShutdownSettingId): AppShutdownDefault | undefined {
  const usable = APP_SHUTDOWN_SETTINGS[id].defaults.filter((d) => d.value !== 'unsupported');
  return usable.length === 1 ? usable[0] : undefined;
}
