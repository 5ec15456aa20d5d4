import { testRule } from './fixtures/ruleTester.js';

// docs/reference/signals.md#pid-1: dash as PID 1 ignores SIGTERM; an init wrapper in front forwards it. The good fixtures show
// node run directly, a script that execs the server, and tini in front of npm.
testRule('dockerfile-shell-wrapper', {
  valid: [
    { name: 'dumb-init in front of npm', text: 'FROM node:20\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["npm", "start"]\n' },
    { name: 'tini -g in front of sh -c', text: 'FROM node:20\nENTRYPOINT ["tini", "-g", "--", "sh", "-c", "node a.js; node b.js"]\n' },
    { name: 'shell form is the other rule', text: 'FROM node:20\nCMD npm start\n' },
    { name: 'sh -c with no script: a tool image whose script comes from docker run', text: 'FROM python:3.12-alpine\nCMD ["/bin/sh", "-c"]\n' },
    { name: "npm start on Alpine: npm's SIGTERM reaches the app, which BusyBox ash exec-ed", text: 'FROM node:20-alpine\nCMD ["npm", "start"]\n' },
    { name: 'bash 5.1+ and BusyBox ash exec the last command of a list', text: 'FROM node:20-alpine\nCMD ["sh", "-c", "node migrate.js && node server.js"]\n' },
    { name: 'a one-command bash -c is exec-ed by every bash', text: 'FROM node:20\nENTRYPOINT ["bash", "-c", "node server.js"]\n' },
    {
      name: 'an official entrypoint that execs its arguments, then node',
      text: 'FROM node:20\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "server.js"]\n',
    },
  ],
  invalid: [
    {
      name: 'sh -c with a list of commands: dash stays PID 1; the fix execs the last command',
      text: 'FROM node:20\nCMD ["sh", "-c", "node migrate.js && node server.js"]\n',
      findings: [
        {
          messageId: 'shellPid1',
          line: 2,
          data: { keyword: 'CMD', shell: 'sh (dash)' },
          fix: 'let the server replace the shell: CMD ["sh","-c","node migrate.js && exec node server.js"]',
          fixId: 'execLastCommand',
        },
      ],
    },
    {
      name: 'bash -c via ENTRYPOINT with the script in CMD: no bash execs a redirected command; reported at the ENTRYPOINT, fixed in the CMD',
      text: 'FROM node:20\nENTRYPOINT ["/bin/bash", "-c"]\nCMD ["node server.js >> /var/log/app.log"]\n',
      findings: [
        {
          messageId: 'shellPid1',
          line: 2,
          data: { keyword: 'ENTRYPOINT', shell: 'bash' },
          fix: 'let the server replace the shell: CMD ["exec node server.js >> /var/log/app.log"]',
        },
      ],
    },
    {
      name: 'a script that runs a loop: no server to exec, so an init instead',
      text: 'FROM debian:12\nENTRYPOINT ["sh", "-c", "while true; do ./sync; sleep 60; done"]\n',
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
          fixId: 'runAppDirectly',
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
