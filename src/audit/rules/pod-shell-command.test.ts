import { testRule } from './fixtures/ruleTester.js';

// §6.1 (measured): dash never execs the last command of -c; bash execs a lone simple command.
const pod = (command: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1\n    command: ${command}\n${extra}`;
const patchCommand = (command: string[]) => ({ spec: { containers: [{ name: 'app', command }] } });

testRule('pod-shell-command', {
  valid: [
    { name: 'bash -c with one simple command is exec-ed by bash', text: pod('["bash", "-c", "node server.js"]') },
    { name: 'exec at the end', text: pod('["sh", "-c", "cd /app && exec node server.js"]') },
    { name: 'no shell', text: pod('["node", "server.js"]') },
  ],
  invalid: [
    {
      name: 'sh -c with a list: points at the script and patches it with exec',
      text: pod('["sh", "-c", "echo hi; node server.js"]'),
      findings: [
        {
          messageId: 'shellPid1',
          line: 8,
          container: 'app',
          data: { shell: 'sh' },
          fix: 'let the server replace the shell with exec: "echo hi; exec node server.js"',
          patch: patchCommand(['sh', '-c', 'echo hi; exec node server.js']),
        },
      ],
    },
    {
      name: 'sh -c even with one command (dash does not exec it, §6.1)',
      text: pod('["/bin/sh", "-c", "node server.js"]'),
      findings: [{ messageId: 'shellPid1', line: 8, container: 'app', data: { shell: 'sh' }, patch: patchCommand(['/bin/sh', '-c', 'exec node server.js']) }],
    },
    {
      name: 'the script in args: the patch replaces args',
      text: pod('["sh", "-ec"]', '    args: ["cd /app && node server.js"]\n'),
      findings: [
        { messageId: 'shellPid1', line: 9, container: 'app', patch: { spec: { containers: [{ name: 'app', args: ['cd /app && exec node server.js'] }] } } },
      ],
    },
    {
      name: 'exec only redirects output: still a shell',
      text: pod('["sh", "-c", "exec >/dev/stdout; node server.js"]'),
      findings: [{ messageId: 'shellPid1', line: 8, container: 'app', patch: patchCommand(['sh', '-c', 'exec >/dev/stdout; exec node server.js']) }],
    },
    {
      name: 'an unnamed container is still reported, without a machine fix',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: x, command: [sh, -c, "a; b"]}]}\n',
      findings: [{ messageId: 'shellPid1', line: 4, container: 'containers[0]', fixId: 'execServer' }],
    },
  ],
});
