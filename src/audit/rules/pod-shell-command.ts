/**
 * Rule of Uptime 1 in the pod spec: `command: [sh, -c, "…"]` makes the shell PID 1 of the
 * container unless it hands the process to the server. dash (Debian's /bin/sh) never does without
 * `exec`; bash 5.1+ and BusyBox ash exec a last simple command; the image table says which shell
 * an image has. Where the image's shell is unknown and shells differ, pid1-signal-unverified says
 * so at info instead (docs/reference/signals.md#shell-form-and-exec-form).
 */
import { containerPid1 } from '../../k8s/containerPid1.js';
import type { KubeObject } from '../../k8s/objects.js';
import { pid1Verdict, shellInvocation } from '../../k8s/pid1.js';
import { withExecOnLastCommand } from '../../k8s/shellScript.js';
import { shellLabel } from '../../k8s/shells.js';
import { patchAt } from '../patch.js';
import { commandLineOf, longRunningUnlessBatch } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';
import { containerShell, shellStaysBecause } from './support/shellOf.js';

const rule = defineRule({
  target: 'workload',
  meta: {
    id: 'pod-shell-command',
    ruleOfUptime: 1,
    severity: 'error',
    looksAt: 'images',
    summary: 'container command runs sh -c with a script that does not exec the server, so SIGTERM never reaches it',
    fixable: true,
    messages: {
      shellPid1:
        'container {{container}} runs its server under {{shell}} -c ({{shellWhy}}): the shell is PID 1, ignores SIGTERM and does not pass it on, so the app never starts its graceful shutdown and is SIGKILLed after the grace period',
      shellLoop:
        'container {{container}} runs {{shell}} -c with no server to hand PID 1 to (a loop, a pipeline or a background job; {{shellWhy}}): the shell is PID 1 and ignores SIGTERM, so every stop waits for SIGKILL at the end of the grace period',
    },
    fixes: {
      execServer: 'let the server replace the shell with exec: "{{script}}"',
      trapTerm: "make the shell exit on SIGTERM: start the script with trap 'exit 143' TERM;",
      serverAsCommand: 'run the server itself as the command, without the pipeline or background job around it, so it is PID 1 and receives SIGTERM',
    },
  },
  check: perContainer(longRunningUnlessBatch, (c, w) => {
    const { command, args } = commandLineOf(c);
    if (!command) return undefined;
    const argv = [...command, ...args];
    // Only a shell the pod spec itself starts: an image's entrypoint script is the Dockerfile rules'.
    if (!shellInvocation(argv)) return undefined;
    const image = typeof c.container.image === 'string' ? c.container.image : undefined;
    const known = containerShell(c);
    const v = pid1Verdict(containerPid1({ image, command, args, ...(known.shell ? { imageShell: known.shell } : {}) }));
    if (v?.verdict !== 'shell-stays' || v.at.script === undefined || v.at.scriptIndex === undefined) return undefined;
    const { script, scriptIndex } = v.at;
    const inCommand = scriptIndex < command.length;
    const path = [...c.path, inCommand ? 'command' : 'args', inCommand ? scriptIndex : scriptIndex - command.length];
    const shell = shellLabel(v.at.resolved, v.at.shell);
    const shellWhy = shellStaysBecause(v.at, known.evidence);
    const fixed = withExecOnLastCommand(script);
    if (!fixed) {
      // A loop has no server to lose: exiting on SIGTERM is the whole fix. A pipeline or a
      // background job would take its server down with the shell, so no machine fix there.
      if (v.at.shape?.last.kind !== 'compound') return { path, messageId: 'shellLoop', data: { container: c.name, shell, shellWhy }, fixId: 'serverAsCommand' };
      const trapped = `trap 'exit 143' TERM; ${script}`;
      return {
        path,
        messageId: 'shellLoop',
        data: { container: c.name, shell, shellWhy },
        fixId: 'trapTerm',
        ...(typeof c.container.name === 'string' ? { patch: patchWithScript(w.object, path, trapped) } : {}),
      };
    }
    return {
      path,
      messageId: 'shellPid1',
      data: { container: c.name, shell, shellWhy, script: fixed },
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
