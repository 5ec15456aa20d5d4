import { testRule } from './fixtures/ruleTester.js';

// docs/reference/signals.md#pid-1: a shell-form command runs as /bin/sh -c, and the shell is PID 1. The good fixtures show
// exec form, a shell that execs the server, and shell form in a build stage.
testRule('dockerfile-shell-form', {
  valid: [
    { name: 'no CMD at all: inherited from the base image, not ours to judge', text: 'FROM nginx:1.27\nCOPY a /b\n' },
    { name: "BusyBox ash (Alpine's /bin/sh) execs a lone command", text: 'FROM node:20-alpine\nCMD node server.js\n' },
    { name: 'SHELL bash: bash execs the last simple command', text: 'FROM node:20\nSHELL ["/bin/bash", "-c"]\nCMD node migrate.js && node server.js\n' },
    { name: 'an unknown base: pid1-signal-unverified says so at info', text: 'FROM example/base:1\nCMD node server.js\n' },
  ],
  invalid: [
    {
      name: 'shell-form CMD, at the instruction, with the exec form as the fix',
      text: 'FROM nginx\n\nCMD nginx -g "daemon off;"\n',
      findings: [{ messageId: 'shellForm', line: 3, column: 1, data: { keyword: 'CMD' }, fix: 'use exec form: CMD ["nginx","-g","daemon off;"]' }],
    },
    {
      name: 'cd DIR && server becomes WORKDIR and exec form',
      text: 'FROM python:3.12-slim\nCMD cd /srv && gunicorn -b 0.0.0.0:8000 app:app\n',
      findings: [{ messageId: 'shellForm', line: 2, fix: 'use exec form: WORKDIR /srv\nCMD ["gunicorn","-b","0.0.0.0:8000","app:app"]' }],
    },
    {
      name: 'a variable needs the shell: the fix keeps it and execs the server',
      text: 'FROM python:3.12-slim\nCMD uvicorn main:app --host 0.0.0.0 --port $PORT 2>&1\n',
      findings: [{ messageId: 'shellForm', line: 2, fix: 'use exec form: CMD ["/bin/sh","-c","exec uvicorn main:app --host 0.0.0.0 --port $PORT 2>&1"]' }],
    },
    {
      name: 'the SHELL the file sets runs the fix too',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by the shell, not by JavaScript
      text: 'FROM debian:12\nSHELL ["/bin/dash", "-c"]\nCMD ./server --port=${PORT:-80}\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by the shell, not by JavaScript
      findings: [{ messageId: 'shellForm', line: 3, fix: 'use exec form: CMD ["/bin/dash","-c","exec ./server --port=${PORT:-80}"]' }],
    },
    {
      name: 'no server to exec (a loop): an init instead',
      text: 'FROM debian:12\nCMD while true; do date; sleep 5; done\n',
      findings: [{ messageId: 'shellForm', line: 2, fixId: 'initWrapper' }],
    },
    {
      name: 'shell-form ENTRYPOINT wins over CMD, which is ignored',
      text: 'FROM node:20\nENTRYPOINT node server.js\nCMD ["--port", "80"]\n',
      findings: [{ messageId: 'shellForm', line: 2, data: { keyword: 'ENTRYPOINT', raw: 'node server.js' } }],
    },
    {
      name: 'JSON with single quotes is shell form',
      text: "FROM nginx\nCMD ['nginx', '-g', 'daemon off;']\n",
      findings: [{ messageId: 'singleQuoted', line: 2, fix: 'use exec form: CMD ["nginx", "-g", "daemon off;"]' }],
    },
  ],
});
