/**
 * Rule of Uptime 4, where the input cannot settle it: a serving container runs Spring Boot and
 * nothing the input shows sets `server.shutdown`, so the default applies unless the
 * application.yml packaged in the jar says otherwise, and the default is `immediate` (in-flight
 * requests cut at SIGTERM) before Spring Boot 3.4 and `graceful` from 3.4
 * (docs/reference/app-frameworks.md#spring-boot). Silent when the image build names 3.4 or
 * later; an info hint otherwise, never an error: the jar and, mostly, the version are not in the input.
 */
import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { LONG_RUNNING_WORKLOAD_KINDS } from './support/edge.js';
import { defaultShutdownFor, gracefulEnvPatch, settingPath, springServers } from './support/springFindings.js';

type Result = RuleResult<'versionDecides' | 'versionDefaultsImmediate' | 'maybeReadFile', 'setGracefulEnv'>;

export const springShutdownUnverified = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'spring-shutdown-unverified',
    ruleOfUptime: 4,
    severity: 'info',
    looksAt: 'shutdown',
    summary: 'Spring Boot without a visible server.shutdown: before 3.4 the default is immediate, which cuts in-flight requests at SIGTERM',
    fixable: true,
    messages: {
      versionDecides:
        'container {{container}} runs Spring Boot ({{evidence}}) and nothing in the input sets server.shutdown{{hidden}}: the default is immediate before ' +
        'Spring Boot 3.4 (in-flight requests are cut at SIGTERM) and graceful from 3.4, and neither the version nor the application.yml packaged in the jar is in the input',
      versionDefaultsImmediate:
        'container {{container}} runs Spring Boot {{version}} ({{versionFrom}}), whose default is server.shutdown=immediate, and nothing in the input sets it{{hidden}}: ' +
        'unless the application.yml packaged in the jar sets graceful, in-flight requests are cut at SIGTERM',
      maybeReadFile:
        'container {{container}} runs Spring Boot ({{evidence}}) and server.shutdown=immediate is written in {{written}}, which Spring Boot reads only if the process runs ' +
        'from the parent of that config directory (the working directory is not in the input): if it does, in-flight requests are cut at SIGTERM',
    },
    fixes: {
      setGracefulEnv:
        'set env SERVER_SHUTDOWN=graceful on the container (Spring Boot 2.3 or later; it outranks the packaged application.yml), and keep terminationGracePeriodSeconds ' +
        'above the preStop plus spring.lifecycle.timeout-per-shutdown-phase (30 s by default)',
    },
  },
  check(view, _settings, all) {
    return springServers(view, all).flatMap(({ w, c, spring }): Result[] => {
      const { shutdown, hidden, evidence } = spring.view;
      const byVersion = defaultShutdownFor(spring.version?.version);
      // Too old for graceful shutdown, or graceful by default: spring-shutdown-immediate's, or nothing to say.
      if (byVersion === 'unsupported' || (byVersion === 'graceful' && !shutdown)) return [];
      if (shutdown?.certain) return [];
      const patch = gracefulEnvPatch(w, c, shutdown);
      const base = { container: c.name, fixId: 'setGracefulEnv' as const, ...(patch ? { patch } : {}) };
      if (shutdown?.value === 'immediate')
        return [{ ...base, path: settingPath(c, shutdown), messageId: 'maybeReadFile', data: { container: c.name, evidence, written: shutdown.written } }];
      if (shutdown) return [];
      const hiddenText = hidden.length > 0 ? ` (${hidden.join(', ')} may)` : '';
      if (byVersion === 'immediate' && spring.version)
        return [
          {
            ...base,
            path: c.path,
            messageId: 'versionDefaultsImmediate',
            data: { container: c.name, version: spring.version.version, versionFrom: spring.version.from, hidden: hiddenText },
          },
        ];
      return [{ ...base, path: c.path, messageId: 'versionDecides', data: { container: c.name, evidence, hidden: hiddenText } }];
    });
  },
});

export default springShutdownUnverified;
