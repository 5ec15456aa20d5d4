/**
 * Rule of Uptime 1 in the pod spec: `command: [sh, -c, "…"]` makes the shell PID 1 of the
 * container. dash (Debian's /bin/sh) as namespace init ignores SIGTERM and never forwards it;
 * bash execs a lone simple command, so only bash with a compound script is caught
 * (kubernetes-semantics §6.1, measured).
 */
import { isLoneSimpleCommand, scriptExecsServer, shellInvocation, withExecOnLastCommand } from '../dockerfileCommand.js';
import type { KubeObject } from '../../k8s/objects.js';
import { patchAt } from '../patch.js';
import { commandLineOf, longRunningUnlessBatch } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';

const rule = defineRule({
  target: 'workload',
  meta: {
    id: 'pod-shell-command',
    ruleOfUptime: 1,
    severity: 'error',
    summary: 'container command runs sh -c with a script that does not exec the server, so SIGTERM never reaches it',
    fixable: true,
    messages: {
      shellPid1:
        'container {{container}} runs its server under {{shell}} -c: {{shell}} is PID 1, ignores SIGTERM and does not pass it on, so the app never starts its graceful shutdown and is SIGKILLed after the grace period',
    },
    fixes: {
      execServer: 'let the server replace the shell with exec: "{{script}}"',
    },
  },
  check: perContainer(longRunningUnlessBatch, (c, w) => {
    const { command, args } = commandLineOf(c);
    if (!command) return undefined;
    const argv = [...command, ...args];
    const sh = shellInvocation(argv);
    if (!sh || sh.script === undefined) return undefined;
    if (scriptExecsServer(sh.script)) return undefined;
    if (sh.shell === 'bash' && isLoneSimpleCommand(sh.script)) return undefined;
    const scriptIndex = argv.indexOf(sh.script);
    const inCommand = scriptIndex < command.length;
    const path = [...c.path, inCommand ? 'command' : 'args', inCommand ? scriptIndex : scriptIndex - command.length];
    const fixed = withExecOnLastCommand(sh.script);
    return {
      path,
      messageId: 'shellPid1',
      data: { container: c.name, shell: sh.shell, script: fixed },
      fixId: 'execServer',
      // A strategic merge finds containers by name; an unnamed one (invalid anyway) gets the text fix only.
      ...(typeof c.container.name === 'string' ? { patch: patchWithScript(w.object, path, fixed) } : {}),
    };
  }),
});

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
