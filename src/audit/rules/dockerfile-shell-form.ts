/**
 * Rule of Uptime 1: signals reach the app. A shell-form CMD/ENTRYPOINT runs as `/bin/sh -c "…"`;
 * the shell is PID 1, does not pass SIGTERM on, and (as namespace init without a handler)
 * ignores it, so the pod runs until SIGKILL (kubernetes-semantics §6.1).
 */
import type { DockerfileResult } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { effectiveCommand, scriptExecsServer, shellWords } from '../dockerfileCommand.js';

function execFormOf(raw: string): string {
  const t = raw.trim();
  // JSON with single quotes is shell form that was meant to be exec form (§6.1).
  if (t.startsWith('[') && t.endsWith(']')) return t.replace(/'/g, '"');
  return JSON.stringify(shellWords(t.replace(/^exec\s+/, '')));
}

const rule = defineRule({
  target: 'dockerfile',
  meta: {
    id: 'dockerfile-shell-form',
    ruleOfUptime: 1,
    severity: 'error',
    summary: 'shell-form CMD/ENTRYPOINT makes /bin/sh PID 1, which never passes SIGTERM to the app',
    messages: {
      singleQuoted:
        '{{keyword}} {{raw}} is not valid JSON (single quotes), so Docker runs it in shell form: /bin/sh becomes PID 1 and SIGTERM never reaches the app',
      shellForm:
        '{{keyword}} in shell form runs as /bin/sh -c "{{raw}}": the shell is PID 1, ignores SIGTERM and never passes it on, so every pod stop ends in SIGKILL after the grace period',
    },
    fixes: {
      execForm: 'use exec form: {{keyword}} {{execForm}}',
    },
  },
  check(view) {
    const { entrypoint, cmd } = effectiveCommand(view);
    const out: DockerfileResult<'singleQuoted' | 'shellForm', 'execForm'>[] = [];
    for (const instr of [entrypoint, cmd]) {
      if (!instr || instr.execForm) continue;
      const raw = instr.raw.trim();
      // `CMD exec node server.js`: the shell replaces itself, the server becomes PID 1.
      if (scriptExecsServer(raw)) continue;
      out.push({
        instruction: instr,
        messageId: raw.startsWith('[') ? 'singleQuoted' : 'shellForm',
        data: { keyword: instr.keyword, raw, execForm: execFormOf(raw) },
        fixId: 'execForm',
      });
    }
    return out;
  },
});
export default rule;
