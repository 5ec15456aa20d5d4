/**
 * Rule of Uptime 2: uWSGI treats SIGTERM as "brutally reload all the workers and the master"
 * unless `die-on-term` is set; the pod then runs until SIGKILL. The graceful variant is
 * `hook-master-start = unix_signal:15 gracefully_kill_them_all` (docs/reference/signals.md#image-stop-signals,
 * unbit/uwsgi#849; the talk's uWSGI slide).
 */
import { runningContainersWithoutDockerfile } from '../views.js';
import type { Rule } from '../types.js';
import { effectiveCommand } from '../dockerfileCommand.js';
import { commandLineOf } from './support/containers.js';
import { defineMeta, defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';

const meta = defineMeta({
  id: 'uwsgi-sigterm-reload',
  ruleOfUptime: 2,
  severity: 'error',
  looksAt: 'images',
  summary: 'uWSGI without die-on-term reloads on SIGTERM instead of stopping',
  messages: {
    reloads: '{{where}} runs uWSGI without die-on-term: SIGTERM makes uWSGI reload its workers instead of exiting, so the pod keeps running until SIGKILL',
    reloadsUnlessConfigSays:
      '{{where}} runs uWSGI without die-on-term: SIGTERM makes uWSGI reload its workers instead of exiting, so the pod keeps running until SIGKILL ' +
      '(unless the ini/yaml config it loads sets die-on-term, which zerodrop cannot see)',
  },
  fixes: {
    dieOnTerm:
      'add --die-on-term (env UWSGI_DIE_ON_TERM=1), or for a graceful stop --hook-master-start "unix_signal:15 gracefully_kill_them_all"; keep a preStop sleep as well',
  },
});

const HANDLED = /die[-_]on[-_]term|gracefully_kill_them_all/i;
const RUNS_UWSGI = /(^|[\s/"'])uwsgi(\s|$|["'])/;
const HANDLED_BY_ENV = /UWSGI_DIE_ON_TERM|UWSGI_HOOK_MASTER_START/;

/** What to report for a command line that runs uWSGI, given the environment variable names set for it. */
function reloadFinding(where: string, commandLine: string, envNames: string) {
  if (HANDLED.test(commandLine) || HANDLED_BY_ENV.test(envNames)) return undefined;
  const configFile = /--(ini|yaml|xml|json)\b|\.ini\b/.test(commandLine);
  return { messageId: configFile ? 'reloadsUnlessConfigSays' : 'reloads', data: { where }, fixId: 'dieOnTerm' } as const;
}

const dockerfileSide = defineRule({
  meta,
  target: 'dockerfile',
  check(view) {
    const { decisive, entrypoint, cmd } = effectiveCommand(view);
    const text = [entrypoint?.raw ?? '', cmd?.raw ?? ''].join(' ');
    if (!decisive || !RUNS_UWSGI.test(text)) return [];
    const env = view.instructions
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.raw)
      .join('\n');
    const found = reloadFinding(decisive.keyword, text, env);
    return found ? [{ instruction: cmd && RUNS_UWSGI.test(cmd.raw) ? cmd : decisive, ...found }] : [];
  },
});

const workloadSide = defineRule({
  meta,
  target: 'workload',
  check: perContainer(runningContainersWithoutDockerfile, (c) => {
    const { command = [], args } = commandLineOf(c);
    const text = [...command, ...args].join(' ');
    if (!RUNS_UWSGI.test(` ${text} `)) return undefined;
    const env = Array.isArray(c.container.env) ? c.container.env.map((e) => String(e?.name ?? '')).join(' ') : '';
    const found = reloadFinding(`container ${c.name}`, text, env);
    return found && { path: [...c.path, command.length > 0 ? 'command' : 'args'], ...found };
  }),
});

const rules: Rule[] = [dockerfileSide, workloadSide];
export default rules;
