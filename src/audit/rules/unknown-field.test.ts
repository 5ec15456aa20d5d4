import { testRule } from './fixtures/ruleTester.js';

const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n${spec}`;

testRule('unknown-field', {
  valid: [
    {
      name: 'known fields everywhere',
      text: deployment(
        '  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n        lifecycle: {preStop: {sleep: {seconds: 5}}}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'a misspelt key: named with its correction, at the key, renamed by the patch',
      text: deployment('  template:\n    spec:\n      terminationGracePeriodSecond: 45\n      containers: [{name: a, image: x}]\n'),
      findings: [
        {
          messageId: 'misspelt',
          line: 7,
          column: 37,
          data: { key: 'terminationGracePeriodSecond', where: 'pod spec', suggestion: 'terminationGracePeriodSeconds' },
          fix: 'rename "terminationGracePeriodSecond" to "terminationGracePeriodSeconds"',
          patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 45, terminationGracePeriodSecond: null } } } },
        },
      ],
    },
    {
      name: 'checks init containers and native sidecars too',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: proxy\n    image: x\n    restartPolicy: Always\n    lifecycle: {preStopp: {sleep: {seconds: 5}}}\n  containers:\n  - {name: a, image: x}\n',
      findings: [
        {
          messageId: 'misspelt',
          line: 9,
          container: 'proxy',
          data: { key: 'preStopp', where: 'lifecycle of proxy', suggestion: 'preStop' },
          patch: { spec: { initContainers: [{ name: 'proxy', lifecycle: { preStop: { sleep: { seconds: 5 } }, preStopp: null } }] } },
        },
      ],
    },
    {
      name: 'an unknown field with no close match is flagged without guessing',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, wibble: 1}\n',
      findings: [
        { messageId: 'unknown', line: 6, container: 'a', data: { key: 'wibble', where: 'container a' }, fix: 'remove "wibble" or move it where it belongs' },
      ],
    },
    {
      name: 'a correction that is already set is not patched over',
      text: deployment('  maxReadySeconds: 5\n  minReadySeconds: 10\n  template: {spec: {containers: [{name: a, image: x}]}}\n'),
      findings: [{ messageId: 'misspelt', line: 5, data: { key: 'maxReadySeconds', suggestion: 'minReadySeconds' } }],
    },
  ],
});
