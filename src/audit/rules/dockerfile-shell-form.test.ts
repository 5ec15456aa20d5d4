import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'dockerfile-shell-form';

describeFixtureTable(ID, [
  ['shell-form CMD (§6.1)', 'FROM node:20\nCMD node server.js\n', 1],
  ['shell-form ENTRYPOINT wins over CMD, which is ignored', 'FROM node:20\nENTRYPOINT node server.js\nCMD ["--port", "80"]\n', 1],
  ['JSON with single quotes is shell form', "FROM nginx\nCMD ['nginx', '-g', 'daemon off;']\n", 1],
  ['exec form', 'FROM node:20\nCMD ["node", "server.js"]\n', 0],
  ['shell form that execs the server', 'FROM node:20\nCMD exec node server.js\n', 0],
  ['no CMD at all: inherited from the base image, not ours to judge', 'FROM nginx:1.27\nCOPY a /b\n', 0],
]);

describe(ID, () => {
  it('points at the instruction and suggests the exec form', () => {
    const [f] = auditText('FROM nginx\n\nCMD nginx -g "daemon off;"\n', { rules: [ID] });
    expect([f!.line, f!.column]).toEqual([3, 1]);
    expect(f!.fix).toBe('use exec form: CMD ["nginx","-g","daemon off;"]');
  });
});
