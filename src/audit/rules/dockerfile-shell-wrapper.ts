/**
 * Rule of Uptime 1: exec form that still makes a shell or a package manager PID 1
 * (`["sh","-c","node app.js"]`, `["npm","start"]`). dash as PID 1 ignores SIGTERM and does not
 * forward it; npm adds a parent whose forwarding varies by version (kubernetes-semantics §6.1).
 * An init wrapper (tini, dumb-init) in front fixes both. hadolint DL3025 passes these
 * (linter-landscape §6).
 */
import {
  effectiveCommand,
  executableName,
  PACKAGE_MANAGERS,
  scriptExecsServer,
  shellInvocation,
  unwrapInit,
  withExecOnLastCommand,
} from '../dockerfileCommand.js';
import { defineRule } from './support/defineRule.js';

const rule = defineRule({
  target: 'dockerfile',
  meta: {
    id: 'dockerfile-shell-wrapper',
    ruleOfUptime: 1,
    severity: 'error',
    summary: 'exec-form command that makes sh -c, npm, yarn or pnpm PID 1 without tini/dumb-init',
    messages: {
      shellPid1:
        '{{keyword}} makes {{shell}} PID 1 ({{argv}}…): the shell ignores SIGTERM as namespace init and does not pass it to the app, so the pod is SIGKILLed at the end of the grace period',
      packageManagerPid1:
        '{{keyword}} makes {{exe}} PID 1: the app runs as its child, and whether {{exe}} forwards SIGTERM depends on its version; shutdown may wait for SIGKILL',
    },
    fixes: {
      execLastCommand:
        'let the server replace the shell: "{{script}}", or run the server directly in exec form, or put tini in front: ENTRYPOINT ["tini", "--"]',
      execDirectly: 'run the server directly in exec form, or put tini in front: ENTRYPOINT ["tini", "--"]',
      runAppDirectly: 'run the app directly, e.g. {{keyword}} ["node", "server.js"], or put an init in front: ENTRYPOINT ["tini", "--"] (or dumb-init)',
    },
  },
  check(view) {
    const { argv, decisive } = effectiveCommand(view);
    if (!argv || !decisive || argv.length === 0) return [];
    const { wrapped, argv: inner } = unwrapInit(argv);
    if (wrapped || inner.length === 0) return [];
    const sh = shellInvocation(inner);
    if (sh) {
      if (sh.script !== undefined && scriptExecsServer(sh.script)) return [];
      const data = { keyword: decisive.keyword, shell: sh.shell, argv: JSON.stringify(inner.slice(0, 3)) };
      return [
        sh.script !== undefined
          ? { instruction: decisive, messageId: 'shellPid1', data: { ...data, script: withExecOnLastCommand(sh.script) }, fixId: 'execLastCommand' }
          : { instruction: decisive, messageId: 'shellPid1', data, fixId: 'execDirectly' },
      ];
    }
    const exe = executableName(inner[0]!);
    if (!PACKAGE_MANAGERS.has(exe)) return [];
    return [{ instruction: decisive, messageId: 'packageManagerPid1', data: { keyword: decisive.keyword, exe }, fixId: 'runAppDirectly' }];
  },
});
export default rule;
