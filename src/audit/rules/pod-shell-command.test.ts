import { describe, expect, it } from 'vitest';
import { auditTextsRun } from '../testing.js';
import { testRule } from './fixtures/ruleTester.js';

// Measured: dash never execs the last command of -c; bash 5.1+ and BusyBox ash exec a last simple command.
const pod = (command: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: node:20-slim\n    command: ${command}\n${extra}`;
const patchCommand = (command: string[]) => ({ spec: { containers: [{ name: 'app', command }] } });

testRule('pod-shell-command', {
  valid: [
    { name: 'bash -c with one simple command is exec-ed by bash', text: pod('["bash", "-c", "node server.js"]') },
    { name: 'exec at the end', text: pod('["sh", "-c", "cd /app && exec node server.js"]') },
    { name: 'no shell', text: pod('["node", "server.js"]') },
    { name: 'BusyBox ash execs the last simple command', text: pod('["sh", "-c", "echo hi; node server.js"]').replace('node:20-slim', 'node:20-alpine') },
    {
      name: 'a JVM behind sh -c on an Alpine JRE: BusyBox ash execs java, which gets SIGTERM',
      text: pod('["sh", "-c", "java $JAVA_OPTS -jar /app.jar"]').replace('node:20-slim', 'eclipse-temurin:21-jre-alpine'),
    },
    {
      name: 'a JVM behind bash -c on a UBI JRE (bash 5.1): bash execs java',
      text: pod('["bash", "-c", "java $JAVA_OPTS -jar /app.jar"]').replace('node:20-slim', 'registry.access.redhat.com/ubi9/ubi'),
    },
    {
      name: 'an image whose /bin/sh is unknown: pid1-signal-unverified says so at info',
      text: pod('["sh", "-c", "echo hi; node server.js"]').replace('node:20-slim', 'example/app:1'),
    },
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
          data: { shell: 'sh (dash)' },
          fix: 'let the server replace the shell with exec: "echo hi; exec node server.js"',
          patch: patchCommand(['sh', '-c', 'echo hi; exec node server.js']),
        },
      ],
    },
    {
      name: 'sh -c even with one command (dash does not exec it, docs/reference/signals.md#pid-1)',
      text: pod('["/bin/sh", "-c", "node server.js"]'),
      findings: [
        { messageId: 'shellPid1', line: 8, container: 'app', data: { shell: 'sh (dash)' }, patch: patchCommand(['/bin/sh', '-c', 'exec node server.js']) },
      ],
    },
    {
      name: 'a JVM behind sh -c on an Ubuntu-based JRE: says dash stays PID 1 and keeps $JAVA_OPTS in the fix',
      text: pod('["sh", "-c", "java $JAVA_OPTS -jar /app.jar"]').replace('node:20-slim', 'eclipse-temurin:21-jre'),
      findings: [
        {
          messageId: 'shellPid1',
          line: 8,
          container: 'app',
          data: {
            shell: 'sh (dash)',
            shellWhy:
              "/bin/sh is dash (image eclipse-temurin:21-jre): Debian's dash never execs the last command of a -c script, so sh stays PID 1 unless the script says exec",
          },
          patch: patchCommand(['sh', '-c', 'exec java $JAVA_OPTS -jar /app.jar']),
        },
      ],
    },
    {
      name: "the image's /bin/sh from the Dockerfile of the run that builds it",
      files: [
        { file: 'orders/Dockerfile', text: 'FROM eclipse-temurin:17-jre-jammy\nCOPY target/orders.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
        {
          file: 'deploy.yaml',
          text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/shop/orders:2.4.1\n    command: ["sh", "-c", "java $JAVA_OPTS -jar /app.jar"]\n',
        },
      ],
      findings: [
        {
          messageId: 'shellPid1',
          line: 8,
          container: 'app',
          data: {
            shellWhy:
              "/bin/sh is dash (orders/Dockerfile, which builds the image: the base image eclipse-temurin:17-jre-jammy): Debian's dash never execs the last command of a -c script, so sh stays PID 1 unless the script says exec",
          },
          patch: patchCommand(['sh', '-c', 'exec java $JAVA_OPTS -jar /app.jar']),
        },
      ],
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
      name: 'a keep-alive loop: the fix makes the shell exit on SIGTERM',
      text: pod('["sh", "-c", "while true; do date > /tmp/now; sleep 5; done"]'),
      findings: [
        {
          messageId: 'shellLoop',
          line: 8,
          container: 'app',
          fixId: 'trapTerm',
          patch: patchCommand(['sh', '-c', "trap 'exit 143' TERM; while true; do date > /tmp/now; sleep 5; done"]),
        },
      ],
    },
    {
      name: 'a server piped into tee: no machine fix, since the shell takes the pipeline down with it',
      text: pod('["sh", "-c", "node server.js | tee /tmp/log"]'),
      findings: [{ messageId: 'shellLoop', line: 8, container: 'app', fixId: 'serverAsCommand' }],
    },
  ],
});

describe('pod-shell-command', () => {
  it('an unnamed container is an input error at the boundary, never a rule crash', () => {
    const run = auditTextsRun(
      [{ file: 'p.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: x, command: [sh, -c, "a; b"]}]}\n' }],
      { rules: ['pod-shell-command'] },
    );
    expect(run.errors).toEqual([expect.objectContaining({ file: 'p.yaml', line: 4, code: 'manifest-missing-field' })]);
    expect(run.details).toEqual([]);
  });
});
