/**
 * Rule of Uptime 1, where the input cannot settle it: PID 1 is a language runtime without an init
 * (Node and Python ignore SIGTERM as PID 1 unless the app installs a handler, which only the code
 * shows), a script the input does not hold (it keeps its shell as PID 1 unless it `exec`s), or a
 * `sh -c` whose fate depends on an image shell zerodrop does not know (dash keeps the shell as
 * PID 1, bash 5.1+ and BusyBox ash exec the last command). An info hint, never an error: what
 * decides is outside the files (docs/reference/signals.md#pid-1).
 */
import { containerPid1 } from '../../k8s/containerPid1.js';
import { pid1Verdict, type Pid1Verdict } from '../../k8s/pid1.js';
import { pythonRunsSignalAwareServer } from '../../k8s/runtimes.js';
import { withExecOnLastCommand as withExec } from '../../k8s/shellScript.js';
import type { Rule } from '../types.js';
import { dockerfilePid1, dockerfileShell, effectiveCommand } from '../dockerfileCommand.js';
import { commandLineOf, longRunningContainers } from './support/containers.js';
import { containerShell } from './support/shellOf.js';
import { defineMeta, defineRule } from './support/defineRule.js';
import { perContainer } from './support/perContainer.js';

const meta = defineMeta({
  id: 'pid1-signal-unverified',
  ruleOfUptime: 1,
  severity: 'info',
  looksAt: 'images',
  summary: 'PID 1 is a runtime without an init, an unread script, or a shell whose behaviour depends on the image: SIGTERM may never reach the app',
  messages: {
    runtimeWithoutInit: '{{where}} runs {{runtime}} as PID 1 without an init: it {{asPid1}}',
    scriptUnread:
      '{{where}} runs the script {{path}} as PID 1: unless it ends by exec-ing the server, its shell stays PID 1, ignores SIGTERM and does not pass it on (the input does not show the script)',
    shellDepends:
      '{{where}} runs {{shell}} -c "{{script}}" and {{evidence}}: dash keeps the shell as PID 1, which ignores SIGTERM; bash 5.1 or later and BusyBox ash hand PID 1 to the last command',
  },
  fixes: {
    handleSigterm: 'make sure the app handles SIGTERM ({{handler}}), or run it under an init that forwards signals (tini, dumb-init)',
    execInScript: 'end the script with exec "$@" (or exec of the server), or run the server under an init that forwards signals (tini -g, dumb-init)',
    execInShell: 'put exec before the server in the script: {{fixed}}',
  },
});

type Hint = {
  messageId: 'runtimeWithoutInit' | 'scriptUnread' | 'shellDepends';
  data: Record<string, string>;
  fixId: 'handleSigterm' | 'execInScript' | 'execInShell';
};

/** The hint for a verdict, if the verdict leaves the outcome to something the input does not show. */
function hintFor(v: Pid1Verdict | undefined, where: string, evidence: string): Hint | undefined {
  if (!v) return undefined;
  if (v.verdict === 'runtime') {
    const { runtime, argv } = v.at;
    if (runtime.stopsOnSigtermAsPid1 || (runtime.id === 'python' && pythonRunsSignalAwareServer(argv))) return undefined;
    return {
      messageId: 'runtimeWithoutInit',
      data: { where, runtime: runtime.runtime, asPid1: runtime.asPid1, handler: runtime.handler },
      fixId: 'handleSigterm',
    };
  }
  if (v.verdict === 'script-unverified') return { messageId: 'scriptUnread', data: { where, path: v.at.path }, fixId: 'execInScript' };
  if (v.verdict === 'shell-depends' && v.at.script !== undefined) {
    const fixed = v.at.shape ? withExec(v.at.script) : undefined;
    return {
      messageId: 'shellDepends',
      data: { where, shell: v.at.shell, script: v.at.script, evidence, ...(fixed ? { fixed } : {}) },
      fixId: fixed ? 'execInShell' : 'execInScript',
    };
  }
  return undefined;
}

const dockerfileSide = defineRule({
  meta,
  target: 'dockerfile',
  check(view) {
    const { decisive } = effectiveCommand(view);
    if (!decisive) return [];
    const { evidence } = dockerfileShell(view);
    const hint = hintFor(pid1Verdict(dockerfilePid1(view)), decisive.keyword, `the image's /bin/sh is unknown (${evidence})`);
    return hint ? [{ instruction: decisive, ...hint }] : [];
  },
});

const workloadSide = defineRule({
  meta,
  target: 'workload',
  check: perContainer(longRunningContainers, (c) => {
    const { command, args } = commandLineOf(c);
    // Without a command of its own, the image decides, and only a Dockerfile shows it.
    if (!command) return undefined;
    const image = typeof c.container.image === 'string' ? c.container.image : undefined;
    const known = containerShell(c);
    const verdict = pid1Verdict(containerPid1({ image, command, args, ...(known.shell ? { imageShell: known.shell } : {}) }));
    // A Dockerfile of the run is judged on its own; only the pod's own sh -c, which replaces its command, is this side's.
    if (c.dockerfiles.length > 0 && verdict?.verdict !== 'shell-depends') return undefined;
    const hint = hintFor(verdict, `container ${c.name}`, known.evidence);
    return hint ? { path: [...c.path, 'command'], ...hint } : undefined;
  }),
});

const rules: Rule[] = [dockerfileSide, workloadSide];
export default rules;
