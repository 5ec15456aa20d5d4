import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'dockerfile-shell-wrapper';

describeFixtureTable(ID, [
  ['sh -c with a list of commands (dash stays PID 1, §6.1)', 'FROM node:20\nCMD ["sh", "-c", "node a.js; node b.js"]\n', 1],
  ['bash -c via ENTRYPOINT with CMD appended', 'FROM node:20\nENTRYPOINT ["/bin/bash", "-c"]\nCMD ["node server.js"]\n', 1],
  ['pnpm start', 'FROM node:20\nCMD ["pnpm", "start"]\n', 1],
  ['npx', 'FROM node:20\nCMD ["npx", "serve"]\n', 1],
  ['dumb-init in front of npm', 'FROM node:20\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["npm", "start"]\n', 0],
  ['tini -g in front of sh -c', 'FROM node:20\nENTRYPOINT ["tini", "-g", "--", "sh", "-c", "node a.js; node b.js"]\n', 0],
  ['node directly', 'FROM node:20\nCMD ["node", "server.js"]\n', 0],
  ['shell form is the other rule', 'FROM node:20\nCMD npm start\n', 0],
]);

describe(ID, () => {
  it('suggests exec on the last command of the script', () => {
    const [f] = auditText('FROM node:20\nCMD ["sh", "-c", "node migrate.js && node server.js"]\n', { rules: [ID] });
    expect(f!.fix).toContain('"node migrate.js && exec node server.js"');
  });
});
