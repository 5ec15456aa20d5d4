/**
 * Rule of Uptime 2: uWSGI treats SIGTERM as "brutally reload all the workers and the master"
 * unless `die-on-term` is set; the pod then runs until SIGKILL. The graceful variant is
 * `hook-master-start = unix_signal:15 gracefully_kill_them_all` (kubernetes-semantics §6.2,
 * unbit/uwsgi#849; the talk's uWSGI slide).
 */
import { runningContainersWithoutDockerfile } from '../views.js';
import type { DockerfileRule, Rule, RuleMeta, RuleResult, WorkloadRule } from '../types.js';
import { effectiveCommand } from '../dockerfileCommand.js';

const meta: RuleMeta = {
  id: 'uwsgi-sigterm-reload',
  ruleOfUptime: 2,
  severity: 'error',
  summary: 'uWSGI without die-on-term reloads on SIGTERM instead of stopping',
};

const HANDLED = /die[-_]on[-_]term|gracefully_kill_them_all/i;
const RUNS_UWSGI = /(^|[\s/"'])uwsgi(\s|$|["'])/;

function message(where: string, ini: boolean): string {
  return `${where} runs uWSGI without die-on-term: SIGTERM makes uWSGI reload its workers instead of exiting, so the pod keeps running until SIGKILL${ini ? ' (unless the ini/yaml config it loads sets die-on-term, which zerodrop cannot see)' : ''}`;
}
const FIX =
  'add --die-on-term (env UWSGI_DIE_ON_TERM=1), or for a graceful stop --hook-master-start "unix_signal:15 gracefully_kill_them_all"; keep a preStop sleep as well';

const dockerfileSide: DockerfileRule = {
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
    if (HANDLED.test(text) || /UWSGI_DIE_ON_TERM|UWSGI_HOOK_MASTER_START/.test(env)) return [];
    return [
      {
        instruction: cmd && RUNS_UWSGI.test(cmd.raw) ? cmd : decisive,
        message: message(decisive.keyword, /--(ini|yaml|xml|json)\b|\.ini\b/.test(text)),
        fix: FIX,
      },
    ];
  },
};

const workloadSide: WorkloadRule = {
  meta,
  target: 'workload',
  check(w) {
    const out: RuleResult[] = [];
    for (const c of runningContainersWithoutDockerfile(w)) {
      const command = Array.isArray(c.container.command) ? c.container.command.map(String) : [];
      const args = Array.isArray(c.container.args) ? c.container.args.map(String) : [];
      const text = [...command, ...args].join(' ');
      if (!RUNS_UWSGI.test(` ${text} `)) continue;
      const env = Array.isArray(c.container.env) ? c.container.env.map((e) => String(e?.name ?? '')).join(' ') : '';
      if (HANDLED.test(text) || /UWSGI_DIE_ON_TERM|UWSGI_HOOK_MASTER_START/.test(env)) continue;
      out.push({
        path: [...c.path, command.length > 0 ? 'command' : 'args'],
        container: c.name,
        message: message(`container ${c.name}`, /--(ini|yaml|xml|json)\b|\.ini\b/.test(text)),
        fix: FIX,
      });
    }
    return out;
  },
};

const rules: Rule[] = [dockerfileSide, workloadSide];
export default rules;
