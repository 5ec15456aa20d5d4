/**
 * Rule of Uptime 1: signals reach the app. A shell-form CMD/ENTRYPOINT runs as `/bin/sh -c "…"`
 * (or the `SHELL` the file sets). Where that shell stays PID 1 it ignores SIGTERM as namespace
 * init and never passes it on, so the pod runs until SIGKILL. dash (Debian's and Ubuntu's
 * /bin/sh) always stays; bash 5.1+ and BusyBox ash replace themselves with a last simple command,
 * so a one-command CMD on Alpine is fine (docs/reference/signals.md#shell-form-and-exec-form).
 * When the base image's shell is unknown and shells differ, pid1-signal-unverified says so instead.
 */
import { scriptShape } from '../../k8s/shellScript.js';
import { executableName } from '../../k8s/servers.js';
import { shellExecsLastCommand, shellLabel, shellNamed } from '../../k8s/shells.js';
import type { DockerfileResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { dockerfileShell, effectiveCommand, execFix, shellFormPrefix } from '../dockerfileCommand.js';

/** JSON with single quotes is shell form meant to be exec form; the fix is the same list with double quotes, when that parses. */
function doubleQuoted(raw: string): string | undefined {
  const fixed = raw.trim().replace(/'/g, '"');
  try {
    const list: unknown = JSON.parse(fixed);
    return Array.isArray(list) && list.every((x) => typeof x === 'string') ? fixed : undefined;
  } catch {
    return undefined;
  }
}

const rule = defineRule({
  target: 'dockerfile',
  meta: {
    id: 'dockerfile-shell-form',
    ruleOfUptime: 1,
    severity: 'error',
    looksAt: 'images',
    summary: 'shell-form CMD/ENTRYPOINT makes /bin/sh PID 1, which never passes SIGTERM to the app',
    messages: {
      singleQuoted:
        '{{keyword}} {{raw}} is not valid JSON (single quotes), so Docker runs it in shell form: {{shell}} becomes PID 1 and SIGTERM never reaches the app',
      shellForm:
        '{{keyword}} in shell form runs as {{shell}} -c "{{raw}}" ({{evidence}}): the shell stays PID 1, ignores SIGTERM and never passes it on, so every pod stop ends in SIGKILL after the grace period',
    },
    fixes: {
      execForm: 'use exec form: {{fixed}}',
      initWrapper: 'run the server in exec form, or put an init in front that forwards signals: ENTRYPOINT ["tini", "-g", "--"]',
    },
  },
  check(view) {
    const { entrypoint, cmd } = effectiveCommand(view);
    const prefix = shellFormPrefix(view);
    const { shell: imageShell, evidence } = dockerfileShell(view);
    const resolved = shellNamed(executableName(prefix[0]!), imageShell);
    const out: DockerfileResult<'singleQuoted' | 'shellForm', 'execForm' | 'initWrapper'>[] = [];
    for (const instr of [entrypoint, cmd]) {
      if (!instr || instr.execForm) continue;
      const raw = instr.raw.trim();
      const shell = shellLabel(resolved, executableName(prefix[0]!));
      if (raw.startsWith('[')) {
        const fixed = doubleQuoted(raw);
        out.push({
          instruction: instr,
          messageId: 'singleQuoted',
          data: { keyword: instr.keyword, raw, shell, fixed: fixed ? `${instr.keyword} ${fixed}` : undefined },
          fixId: fixed ? 'execForm' : 'initWrapper',
        });
        continue;
      }
      const shape = scriptShape(raw);
      // Unreadable scripts and shells that may exec are pid1-signal-unverified's.
      if (shape?.execs !== 'no') continue;
      if (shellExecsLastCommand(resolved, shape) !== false) continue;
      const fixed = execFix(instr.keyword, raw, prefix);
      out.push({
        instruction: instr,
        messageId: 'shellForm',
        data: { keyword: instr.keyword, raw, shell, evidence, fixed },
        fixId: fixed ? 'execForm' : 'initWrapper',
      });
    }
    return out;
  },
});
export default rule;
