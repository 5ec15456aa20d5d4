import { testRule } from './fixtures/ruleTester.js';

const pod = (image: string, command: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n    command: ${command}\n`;

testRule('pid1-signal-unverified', {
  valid: [
    { name: 'the JVM handles SIGTERM itself', text: 'FROM eclipse-temurin:21-jre\nCMD ["java", "-jar", "/app.jar"]\n' },
    { name: 'dumb-init in front of node', text: 'FROM node:20\nENTRYPOINT ["dumb-init", "--"]\nCMD ["node", "server.js"]\n' },
    { name: 'a known shell decides: the error rules report it', text: pod('node:20-slim', '["sh", "-c", "echo hi; node server.js"]') },
    { name: 'a Go binary handles its own signals', text: 'FROM gcr.io/distroless/static\nENTRYPOINT ["/manager"]\n' },
  ],
  invalid: [
    {
      name: 'python as PID 1 from a pod command',
      text: pod('python:3.12-slim', '["python", "app.py"]'),
      findings: [{ messageId: 'runtimeWithoutInit', line: 8, container: 'app', data: { runtime: 'Python' }, fixId: 'handleSigterm' }],
    },
    {
      name: 'sh -c on an unknown image: the fix execs the server either way',
      text: pod('example/app:1', '["sh", "-c", "./migrate && ./server"]'),
      findings: [{ messageId: 'shellDepends', line: 8, container: 'app', fix: 'put exec before the server in the script: ./migrate && exec ./server' }],
    },
    {
      name: 'a JVM behind sh -c whose image is built from a base zerodrop does not know: unverified, never an error',
      files: [
        { file: 'orders/Dockerfile', text: 'FROM registry.example.com/base/jre:21\nCOPY orders.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
        {
          file: 'deploy.yaml',
          text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/shop/orders:2.4.1\n    command: ["sh", "-c", "java $JAVA_OPTS -jar /app.jar"]\n',
        },
      ],
      findings: [
        {
          messageId: 'shellDepends',
          line: 8,
          container: 'app',
          data: { evidence: 'zerodrop does not know the /bin/sh of image registry.example.com/shop/orders:2.4.1' },
          fix: 'put exec before the server in the script: exec java $JAVA_OPTS -jar /app.jar',
        },
      ],
    },
    {
      name: "a Dockerfile's own entrypoint script that the run does not hold",
      text: 'FROM debian:12\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["server"]\n',
      findings: [{ messageId: 'scriptUnread', line: 3, data: { path: '/entrypoint.sh' }, fixId: 'execInScript' }],
    },
  ],
});
