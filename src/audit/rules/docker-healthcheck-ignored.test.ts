import { testRule } from './fixtures/ruleTester.js';

// docs/reference/probes.md: only pod probes gate traffic; the finding is an info hint (the tester checks the severity).
testRule('docker-healthcheck-ignored', {
  valid: [
    { name: 'HEALTHCHECK NONE turns an inherited check off', text: 'FROM example/base:1\nHEALTHCHECK NONE\n' },
    { name: 'no HEALTHCHECK', text: 'FROM node:20\nCMD ["node", "server.js"]\n' },
  ],
  invalid: [
    {
      name: 'a HEALTHCHECK instruction, at the instruction',
      text: 'FROM node:20\nHEALTHCHECK CMD true\n',
      findings: [{ messageId: 'ignored', line: 2, column: 1, fixId: 'useProbes' }],
    },
  ],
});
