import { describe, expect, it } from 'vitest';
import { applyPatch, mergePatches, patchAt } from './patch.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'x' },
          { name: 'proxy', image: 'y', env: [{ name: 'A', value: '1' }] },
        ],
      },
    },
  },
};

describe('strategic-merge patches for --fix', () => {
  it('patchAt names list items by their merge key instead of their index', () => {
    expect(patchAt(deployment, ['spec', 'template', 'spec', 'containers', 1, 'lifecycle'], { preStop: { sleep: { seconds: 5 } } })).toEqual({
      spec: { template: { spec: { containers: [{ name: 'proxy', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } },
    });
  });

  it("mergePatches merges containers by name and keeps both rules' changes", () => {
    const a = patchAt(deployment, ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe'], { tcpSocket: { port: 80 } });
    const b = patchAt(deployment, ['spec', 'template', 'spec', 'containers', 0, 'lifecycle'], { preStop: { sleep: { seconds: 5 } } });
    const c = patchAt(deployment, ['spec', 'template', 'spec', 'containers', 1, 'lifecycle'], { preStop: { sleep: { seconds: 5 } } });
    const merged = mergePatches(mergePatches(a, b), c);
    expect((merged.spec as any).template.spec.containers).toEqual([
      { name: 'app', readinessProbe: { tcpSocket: { port: 80 } }, lifecycle: { preStop: { sleep: { seconds: 5 } } } },
      { name: 'proxy', lifecycle: { preStop: { sleep: { seconds: 5 } } } },
    ]);
  });

  it('applyPatch merges keyed lists, replaces plain lists and deletes null keys, like kustomize', () => {
    const patched = applyPatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'proxy', args: ['--drain'], env: [{ name: 'B', value: '2' }], image: null }] } } },
    });
    expect(patched.spec.template.spec.containers[1]).toEqual({
      name: 'proxy',
      args: ['--drain'],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    expect(patched.spec.template.spec.containers[0]).toEqual({ name: 'app', image: 'x' });
    expect(deployment.spec.template.spec.containers[1]!.image, 'the input is not mutated').toBe('y');
  });

  it('refuses to patch a list item it cannot name', () => {
    expect(() => patchAt({ spec: { containers: [{ image: 'x' }] } }, ['spec', 'containers', 0, 'image'], 'y')).toThrow(/by key/);
  });
});
