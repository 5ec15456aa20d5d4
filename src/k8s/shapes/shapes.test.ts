import { describe, expect, it } from 'vitest';
import { shapeViolations } from './index.js';
import { checkShape, integer, listOf, object, string } from './schema.js';

const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });
const pod = (container: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [container] } });
const pdb = (selector: unknown) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: { selector } });

describe('object shapes at the boundary (the API server decodes into typed structs)', () => {
  it('a quoted number where the API wants an integer: replicas: "3"', () => {
    expect(shapeViolations(deployment({ replicas: '3' }))).toEqual([
      { path: ['spec', 'replicas'], kind: 'wrong-type', message: 'spec.replicas must be an integer, got the string "3"; remove the quotes' },
    ]);
  });
  it('PDB matchExpressions that is not a list, values that are not a list, a null expression', () => {
    expect(shapeViolations(pdb({ matchExpressions: { key: 'app' } })).map((v) => v.message)).toEqual([
      'spec.selector.matchExpressions must be a list, got a mapping; write each item on its own "- " line',
    ]);
    expect(shapeViolations(pdb({ matchExpressions: [{ key: 'app', operator: 'In', values: 'web' }] })).map((v) => v.path)).toEqual([
      ['spec', 'selector', 'matchExpressions', 0, 'values'],
    ]);
    expect(shapeViolations(pdb({ matchExpressions: [null] })).map((v) => v.message)).toEqual([
      'spec.selector.matchExpressions[0] is an empty list item; expected a mapping (LabelSelectorRequirement)',
    ]);
    expect(shapeViolations(pdb({ matchExpressions: [{ operator: 'Exists' }] })).map((v) => v.kind)).toEqual(['missing-field']);
  });
  it('a container without a name (its merge key: the API server and strategic merge need it)', () => {
    expect(shapeViolations(pod({ image: 'x' }))).toEqual([
      { path: ['spec', 'containers', 0], kind: 'missing-field', message: 'spec.containers[0] has no name; Container requires one' },
    ]);
  });
  it('env written as a mapping, args with a bare number, a label value that is a number', () => {
    const v = shapeViolations({ ...pod({ name: 'a', env: { A: '1' }, args: ['--port', 8080] }), metadata: { name: 'p', labels: { v: 1 } } });
    expect(v.map((x) => x.message)).toEqual([
      'metadata.labels.v must be a string, got the integer 1; quote it: "1"',
      'spec.containers[0].args[1] must be a string, got the integer 8080; quote it: "8080"',
      'spec.containers[0].env must be a list, got a mapping; write each item on its own "- " line',
    ]);
  });
  it('null is an absent field (the API decodes it so), and unknown fields are not its business', () => {
    expect(shapeViolations(deployment({ replicas: null, strategy: null, template: { metadata: null, spec: { containers: null } }, replcas: 'x' }))).toEqual([]);
  });
  it('int-or-string fields take either; a pod template of the wrong type is one violation, not a cascade', () => {
    expect(shapeViolations(deployment({ strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }))).toEqual([]);
    expect(shapeViolations(deployment({ template: 'x' })).map((v) => v.path)).toEqual([['spec', 'template']]);
  });
  it('a custom resource reusing a built-in kind name is checked for metadata only', () => {
    expect(shapeViolations({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 's' }, spec: { template: { spec: 1 } } })).toEqual([]);
    expect(shapeViolations({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { labels: [] } }).map((v) => v.path)).toEqual([['metadata', 'labels']]);
  });
  it('walks without recursion, so deep values cannot exhaust the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const shape = object('T', { xs: listOf(listOf(string)), n: integer });
    expect(checkShape({ xs: deep, n: 1 }, shape).length).toBe(1);
  });
});
