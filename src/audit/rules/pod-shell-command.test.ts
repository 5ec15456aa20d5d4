import { describe, expect, it } from 'vitest';
import { auditText, auditTextsRun } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'pod-shell-command';

const pod = (command: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1\n    command: ${command}\n${extra}`;

describeFixtureTable(ID, [
  ['sh -c with a list', pod('["sh", "-c", "echo hi; node server.js"]'), 1],
  ['sh -c even with one command (dash does not exec it, §6.1)', pod('["/bin/sh", "-c", "node server.js"]'), 1],
  ['bash -c with one simple command is exec-ed by bash', pod('["bash", "-c", "node server.js"]'), 0],
  ['script in args', pod('["sh", "-ec"]', '    args: ["cd /app && node server.js"]\n'), 1],
  ['exec at the end', pod('["sh", "-c", "cd /app && exec node server.js"]'), 0],
  ['exec only redirects output: still a shell', pod('["sh", "-c", "exec >/dev/stdout; node server.js"]'), 1],
  ['no shell', pod('["node", "server.js"]'), 0],
]);

describe(ID, () => {
  it('an unnamed container is an input error at the boundary, never a rule crash', () => {
    const run = auditTextsRun(
      [{ file: 'p.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: x, command: [sh, -c, "a; b"]}]}\n' }],
      { rules: [ID] },
    );
    expect(run.errors).toEqual([expect.objectContaining({ file: 'p.yaml', line: 4, code: 'manifest-missing-field' })]);
    expect(run.details).toEqual([]);
  });

  it('points at the script and patches it with exec', () => {
    const run = auditText(pod('["sh", "-c", "echo hi; node server.js"]'), { rules: [ID] });
    expect([run[0]!.line, run[0]!.container]).toEqual([8, 'app']);
    expect(run[0]!.fix).toBe('let the server replace the shell with exec: "echo hi; exec node server.js"');
  });
});
