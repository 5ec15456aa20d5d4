/**
 * Rule of Uptime 1: exec form that still makes a shell or a package manager PID 1
 * (`["sh","-c","node migrate.js && node server.js"]`, `["npm","start"]`). A shell that stays PID 1
 * ignores SIGTERM as namespace init and does not forward it; which shells stay depends on the
 * image's /bin/sh (dash always; bash 5.1+ and BusyBox ash exec a last simple command). npm runs
 * the script under `sh -c` and the app dies with it (docs/reference/signals.md#pid-1). An init
 * wrapper (tini, dumb-init) in front forwards the signal. hadolint DL3025 passes these.
 */
import { withExecOnLastCommand } from '../../k8s/shellScript.js';
import { pid1Verdict } from '../../k8s/pid1.js';
import { shellLabel } from '../../k8s/shells.js';
import type { DockerfileInstruction } from '../types.js';
import { dockerfilePid1, dockerfileShell, effectiveCommand } from '../dockerfileCommand.js';
import { defineRule } from './support/defineRule.js';
import { shellStaysBecause } from './support/shellOf.js';

/** The instruction of the file whose exec form holds the script, and its index there. */
function scriptHolder(script: string, entrypoint: DockerfileInstruction | undefined, cmd: DockerfileInstruction | undefined) {
  for (const instr of [entrypoint, cmd]) {
    const at = instr?.execForm?.indexOf(script) ?? -1;
    if (instr && at >= 0) return { instr, at };
  }
  return undefined;
}

const rule = defineRule({
  target: 'dockerfile',
  meta: {
    id: 'dockerfile-shell-wrapper',
    ruleOfUptime: 1,
    severity: 'error',
    looksAt: 'images',
    summary: 'exec-form command that makes sh -c, npm, yarn or pnpm PID 1 without tini/dumb-init',
    messages: {
      shellPid1:
        '{{keyword}} makes {{shell}} PID 1 ({{argv}}…; {{shellWhy}}): the shell ignores SIGTERM as namespace init and does not pass it to the app, so the pod is SIGKILLed at the end of the grace period',
      packageManagerPid1: '{{keyword}} makes {{exe}} PID 1: {{onSigterm}}',
    },
    fixes: {
      execLastCommand: 'let the server replace the shell: {{fixed}}',
      execDirectly: 'run the server directly in exec form, or put an init in front that forwards signals to the whole group: ENTRYPOINT ["tini", "-g", "--"]',
      runAppDirectly:
        'run the app directly in exec form (the command the start script runs, e.g. ["node", "server.js"]), or put an init in front that signals the whole group: ENTRYPOINT ["tini", "-g", "--"] (install tini) or ["dumb-init", "--"]',
    },
  },
  check(view) {
    const { entrypoint, cmd, decisive } = effectiveCommand(view);
    // Shell form is dockerfile-shell-form's; a file with no command of its own runs its base image's.
    if (!decisive || (entrypoint && !entrypoint.execForm) || (cmd && !cmd.execForm)) return [];
    const v = pid1Verdict(dockerfilePid1(view));
    // `["sh", "-c"]` with no script is a tool image's default: `docker run IMAGE 'script'` replaces it.
    if (v?.verdict === 'shell-stays' && v.at.script !== undefined) {
      const sh = v.at;
      const argv = JSON.stringify([sh.shell, '-c', ...(sh.script !== undefined ? [sh.script] : [])].slice(0, 3));
      const shellWhy = shellStaysBecause(sh, dockerfileShell(view).evidence);
      const data = { keyword: decisive.keyword, shell: shellLabel(sh.resolved, sh.shell), argv, shellWhy };
      const fixedScript = sh.script !== undefined ? withExecOnLastCommand(sh.script) : undefined;
      // Only a script the file itself holds can be rewritten in place.
      const holder = sh.script !== undefined ? scriptHolder(sh.script, entrypoint, cmd) : undefined;
      if (fixedScript && holder) {
        const list = [...holder.instr.execForm!];
        list[holder.at] = fixedScript;
        return [
          {
            instruction: decisive,
            messageId: 'shellPid1',
            data: { ...data, fixed: `${holder.instr.keyword} ${JSON.stringify(list)}` },
            fixId: 'execLastCommand',
          },
        ];
      }
      return [{ instruction: decisive, messageId: 'shellPid1', data, fixId: 'execDirectly' }];
    }
    if (v?.verdict === 'package-manager') {
      const { manager } = v.at;
      // npm forwards SIGTERM to the script's sh -c, which BusyBox ash has replaced with the app.
      if (manager.manager === 'npm' && dockerfileShell(view).shell === 'busybox-ash') return [];
      return [
        {
          instruction: decisive,
          messageId: 'packageManagerPid1',
          data: { keyword: decisive.keyword, exe: manager.manager, onSigterm: manager.onSigterm },
          fixId: 'runAppDirectly',
        },
      ];
    }
    return [];
  },
});
export default rule;
