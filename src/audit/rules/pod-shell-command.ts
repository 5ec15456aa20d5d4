/**
 * Rule of Uptime 1 in the pod spec: `command: [sh, -c, "…"]` makes the shell PID 1 of the
 * container. dash (Debian's /bin/sh) as namespace init ignores SIGTERM and never forwards it;
 * bash execs a lone simple command, so only bash with a compound script is caught
 * (kubernetes-semantics §6.1, measured).
 */
import type { RuleResult, WorkloadRule } from '../types.js';
import { isLoneSimpleCommand, scriptExecsServer, shellInvocation, withExecOnLastCommand } from '../dockerfileCommand.js';
import { isBatchKind, type KubeObject } from '../../k8s/objects.js';
import { patchAt } from '../patch.js';

const rule: WorkloadRule = {
  meta: {
    id: 'pod-shell-command',
    ruleOfUptime: 1,
    severity: 'error',
    summary: 'container command runs sh -c with a script that does not exec the server, so SIGTERM never reaches it',
    fixable: true,
  },
  target: 'workload',
  check(w) {
    if (isBatchKind(w.kind)) return [];
    const out: RuleResult[] = [];
    for (const c of w.containers) {
      if (c.role === 'init') continue;
      const command = Array.isArray(c.container.command) ? c.container.command.map(String) : undefined;
      if (!command) continue;
      const args = Array.isArray(c.container.args) ? c.container.args.map(String) : [];
      const argv = [...command, ...args];
      const sh = shellInvocation(argv);
      if (!sh || sh.script === undefined) continue;
      if (scriptExecsServer(sh.script)) continue;
      if (sh.shell === 'bash' && isLoneSimpleCommand(sh.script)) continue;
      const scriptIndex = argv.indexOf(sh.script);
      const inCommand = scriptIndex < command.length;
      const path = [...c.path, inCommand ? 'command' : 'args', inCommand ? scriptIndex : scriptIndex - command.length];
      const fixed = withExecOnLastCommand(sh.script);
      const result: RuleResult = {
        path,
        container: c.name,
        message: `container ${c.name} runs its server under ${sh.shell} -c: ${sh.shell} is PID 1, ignores SIGTERM and does not pass it on, so the app never starts its graceful shutdown and is SIGKILLed after the grace period`,
        fix: `let the server replace the shell with exec: "${fixed}"`,
      };
      // A strategic merge finds containers by name; an unnamed one (invalid anyway) gets the text fix only.
      if (typeof c.container.name === 'string') result.patch = patchWithScript(w.object, path, fixed);
      out.push(result);
    }
    return out;
  },
};

function patchWithScript(object: KubeObject, path: ReadonlyArray<string | number>, script: string): Record<string, unknown> {
  // Lists of strings replace as a whole in a strategic merge, so patch the full command/args list.
  const listPath = path.slice(0, -1);
  let cur: unknown = object;
  for (const seg of listPath) cur = (cur as Record<string | number, unknown>)?.[seg];
  const list = Array.isArray(cur) ? cur.map(String) : [];
  list[path[path.length - 1] as number] = script;
  return patchAt(object, listPath, list);
}
export default rule;
