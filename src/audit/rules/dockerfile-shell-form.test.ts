import { testRule } from './fixtures/ruleTester.js';

// §6.1: a shell-form command runs as /bin/sh -c, and the shell is PID 1. The good fixtures show
// exec form, a shell that execs the server, and shell form in a build stage.
testRule('dockerfile-shell-form', {
  valid: [{ name: 'no CMD at all: inherited from the base image, not ours to judge', text: 'FROM nginx:1.27\nCOPY a /b\n' }],
  invalid: [
    {
      name: 'shell-form CMD, at the instruction, with the exec form as the fix',
      text: 'FROM nginx\n\nCMD nginx -g "daemon off;"\n',
      findings: [{ messageId: 'shellForm', line: 3, column: 1, data: { keyword: 'CMD' }, fix: 'use exec form: CMD ["nginx","-g","daemon off;"]' }],
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
