/**
 * Rule of Uptime 4: Spring Boot with `server.shutdown=immediate` closes its embedded web server
 * the moment SIGTERM arrives, so every request in flight is cut, whatever the preStop and the
 * grace period give it. Reported only where the input itself says immediate (an environment
 * variable, a system property, an argument, SPRING_APPLICATION_JSON or a config file Spring
 * Boot reads), all of which outrank the application.yml packaged in the jar, or where the image
 * build names a Spring Boot older than 2.3, which has no graceful shutdown at all
 * (docs/reference/app-frameworks.md#spring-boot). A default that only the version decides is
 * spring-shutdown-unverified's.
 */
import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { LONG_RUNNING_WORKLOAD_KINDS } from './support/edge.js';
import { gracefulEnvPatch, settingPath, springServers, defaultShutdownFor } from './support/springFindings.js';

type Result = RuleResult<'immediateSet' | 'noGracefulShutdown', 'setGraceful' | 'upgradeBoot'>;

export const springShutdownImmediate = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'spring-shutdown-immediate',
    ruleOfUptime: 4,
    severity: 'error',
    looksAt: 'shutdown',
    summary: 'Spring Boot set to server.shutdown=immediate (or too old for graceful shutdown) cuts in-flight requests at SIGTERM',
    fixable: true,
    messages: {
      immediateSet:
        'container {{container}} runs Spring Boot ({{evidence}}) with server.shutdown=immediate ({{written}}): on SIGTERM the embedded web server ' +
        'closes at once and every request still in flight is cut, whatever the preStop and terminationGracePeriodSeconds allow',
      noGracefulShutdown:
        'container {{container}} runs Spring Boot {{version}} ({{versionFrom}}), which has no graceful shutdown (server.shutdown arrived in 2.3): ' +
        'on SIGTERM the embedded web server closes at once and every request still in flight is cut',
    },
    fixes: {
      setGraceful:
        'set server.shutdown=graceful instead ({{how}}), and keep terminationGracePeriodSeconds above the preStop plus spring.lifecycle.timeout-per-shutdown-phase (30 s by default)',
      upgradeBoot: 'upgrade to Spring Boot 2.3 or later and set server.shutdown=graceful (3.4 and later are graceful by default)',
    },
  },
  check(view, _settings, all) {
    return springServers(view, all).flatMap(({ w, c, spring }): Result[] => {
      const { shutdown } = spring.view;
      if (defaultShutdownFor(spring.version?.version) === 'unsupported' && spring.version)
        return [
          {
            path: c.path,
            container: c.name,
            messageId: 'noGracefulShutdown',
            data: { container: c.name, version: spring.version.version, versionFrom: spring.version.from },
            fixId: 'upgradeBoot',
          },
        ];
      if (shutdown?.value !== 'immediate' || !shutdown.certain) return [];
      const patch = gracefulEnvPatch(w, c, shutdown);
      const how =
        shutdown.source === 'environment' || shutdown.source === 'config file'
          ? `env ${/^env (\w+)=/.exec(shutdown.written)?.[1] ?? 'SERVER_SHUTDOWN'}=graceful, which outranks config files`
          : `where it is written now: ${shutdown.written}`;
      return [
        {
          path: settingPath(c, shutdown),
          container: c.name,
          messageId: 'immediateSet',
          data: { container: c.name, evidence: spring.view.evidence, written: shutdown.written, how },
          fixId: 'setGraceful',
          ...(patch ? { patch } : {}),
        },
      ];
    });
  },
});

export default springShutdownImmediate;
