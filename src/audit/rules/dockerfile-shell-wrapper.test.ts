import { testRule } from './fixtures/ruleTester.js';

// §6.1: dash as PID 1 ignores SIGTERM; an init wrapper in front forwards it. The good fixtures show
// node run directly, a script that execs the server, and tini in front of npm.
testRule('dockerfile-shell-wrapper', {
  valid: [
    { name: 'dumb-init in front of npm', text: 'FROM node:20\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["npm", "start"]\n' },
    { name: 'tini -g in front of sh -c', text: 'FROM node:20\nENTRYPOINT ["tini", "-g", "--", "sh", "-c", "node a.js; node b.js"]\n' },
    { name: 'shell form is the other rule', text: 'FROM node:20\nCMD npm start\n' },
  ],
  invalid: [
    {
      name: 'sh -c with a list of commands: dash stays PID 1; the fix execs the last command',
      text: 'FROM node:20\nCMD ["sh", "-c", "node migrate.js && node server.js"]\n',
      findings: [
        {
          messageId: 'shellPid1',
          line: 2,
          data: { keyword: 'CMD', shell: 'sh', script: 'node migrate.js && exec node server.js' },
          fixId: 'execLastCommand',
        },
      ],
    },
    {
      name: 'bash -c via ENTRYPOINT with the script in CMD: reported at the ENTRYPOINT',
      text: 'FROM node:20\nENTRYPOINT ["/bin/bash", "-c"]\nCMD ["node server.js"]\n',
      findings: [{ messageId: 'shellPid1', line: 2, data: { keyword: 'ENTRYPOINT', shell: 'bash' }, fixId: 'execLastCommand' }],
    },
    {
      name: 'sh -c with no script to exec',
      text: 'FROM node:20\nENTRYPOINT ["sh", "-c"]\n',
      findings: [{ messageId: 'shellPid1', line: 2, data: { keyword: 'ENTRYPOINT' }, fixId: 'execDirectly' }],
    },
    {
      name: 'pnpm start',
      text: 'FROM node:20\nCMD ["pnpm", "start"]\n',
      findings: [
        {
          messageId: 'packageManagerPid1',
          line: 2,
          data: { exe: 'pnpm' },
          fix: 'run the app directly, e.g. CMD ["node", "server.js"], or put an init in front: ENTRYPOINT ["tini", "--"] (or dumb-init)',
        },
      ],
    },
    {
      name: 'npx',
      text: 'FROM node:20\nCMD ["npx", "serve"]\n',
      findings: [{ messageId: 'packageManagerPid1', line: 2, data: { exe: 'npx' }, fixId: 'runAppDirectly' }],
    },
  ],
});
