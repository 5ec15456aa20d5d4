import { KNATIVE_DEFAULTS, type RevisionSetting } from '../../k8s/knative.js';
import type { RuleResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { describeSetting, KNATIVE_SERVICE_KIND, revisionOf } from './support/knative.js';

/** The revision fields that say a request may stay open long, and what they let it do. */
const LONG_REQUEST_FIELDS = [
  { field: 'idleTimeoutSeconds', lets: 'a request stay open while the app sends nothing' },
  { field: 'responseStartTimeoutSeconds', lets: 'the app take that long before the first byte of a response' },
] as const;

type Field = (typeof LONG_REQUEST_FIELDS)[number]['field'];

/**
 * queue-proxy ends every request at the revision's `timeoutSeconds`, whether the app is still
 * writing or not (pkg/http/handler/timeout.go in knative/serving; docs/reference/knative.md#timeouts).
 * A revision that writes a longer `idleTimeoutSeconds` or `responseStartTimeoutSeconds` expects
 * requests (streams, slow reports, long polls) to outlive that cap: those timers never fire, and
 * the requests are answered 504 or cut off mid-response at `timeoutSeconds`. Only what the input
 * says is judged: a route the app serves for long that no field mentions is not guessed.
 */
export const knativeTimeoutCutsLongRequests = defineRule({
  target: 'object',
  kinds: [KNATIVE_SERVICE_KIND],
  meta: {
    id: 'knative-timeout-cuts-long-requests',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'controllers',
    summary: 'a Knative revision expects requests longer than its timeoutSeconds, which ends every request',
    messages: {
      timerBeyondTimeout:
        '{{field}} {{value}} lets {{lets}} for up to {{value}} s, but {{timeout}} ends every request after {{cap}} s, whether it is still ' +
        'sending or not: the {{field}} never fires, and longer requests (streams, long polls, slow reports) are answered 504 or cut off mid-response',
    },
    fixes: {
      raiseTimeout: 'raise spec.template.spec.timeoutSeconds to {{value}}, or lower {{field}} to at most {{cap}} if requests are not meant to last longer',
      raiseClusterMaximum:
        'timeoutSeconds may not exceed max-revision-timeout-seconds ({{max}}{{maxFrom}}): raise it in config-defaults (and the activator’s ' +
        'terminationGracePeriodSeconds with it) before raising timeoutSeconds to {{value}}; or lower {{field}} to at most {{cap}} and have clients reconnect',
    },
  },
  check(service, _settings, { objects }) {
    const found = revisionOf(service, objects);
    if (!found) return [];
    const { revision, cluster } = found;
    const cap = revision.timeoutSeconds.value;
    const max = cluster.maxRevisionTimeoutSeconds ?? KNATIVE_DEFAULTS.maxRevisionTimeoutSeconds;
    const results: RuleResult<'timerBeyondTimeout', 'raiseTimeout' | 'raiseClusterMaximum'>[] = [];
    for (const { field, lets } of LONG_REQUEST_FIELDS) {
      const setting: RevisionSetting<number> | undefined = revision[field as Field];
      if (!setting || setting.value <= cap) continue;
      results.push({
        path: setting.path ?? revision.specPath,
        messageId: 'timerBeyondTimeout',
        data: {
          field,
          value: setting.value,
          lets,
          cap,
          timeout: describeSetting('timeoutSeconds', revision.timeoutSeconds, cluster.defaultsFrom, 'revision-timeout-seconds'),
          max,
          maxFrom: cluster.maxRevisionTimeoutSeconds !== undefined ? `, set in ${cluster.defaultsFrom}` : ', the Knative default',
        },
        fixId: setting.value <= max ? 'raiseTimeout' : 'raiseClusterMaximum',
      });
    }
    return results;
  },
});

export default knativeTimeoutCutsLongRequests;
