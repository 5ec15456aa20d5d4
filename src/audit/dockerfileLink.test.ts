import { describe, expect, it } from 'vitest';
import { dockerfilesForImage, serviceOfTag } from './dockerfileLink.js';
import { auditTextsStrict } from './testing.js';

describe('serviceOfTag: one repository, a tag per service', () => {
  it.each([
    ['2.1.3-frontend-proxy', 'frontend-proxy'],
    ['v1.4-cart', 'cart'],
    ['latest-checkout', 'checkout'],
    ['2.0.0-rc.1-ad', 'ad'],
    ['payment', 'payment'],
    ['1.27', undefined],
    ['latest', undefined],
    ['main', undefined],
    [undefined, undefined],
  ])('%s → %s', (tag, service) => {
    expect(serviceOfTag(tag)).toBe(service);
  });
});

describe('dockerfilesForImage', () => {
  const files = [{ names: ['frontend-proxy'] }, { names: ['cart'] }, { names: ['alpine'] }];
  const names = (d: { names: string[] }) => d.names;
  it('matches the repository name first, then the service in the tag', () => {
    expect(dockerfilesForImage('registry.example/cart:3', files, names)).toEqual([files[1]]);
    expect(dockerfilesForImage('ghcr.io/example/demo:2.1-frontend-proxy', files, names)).toEqual([files[0]]);
  });
  it('never matches a known image by its tag variant', () => {
    expect(dockerfilesForImage('nginx:1.27-alpine', files, names)).toEqual([]);
  });
});

describe('a per-service tag links the workload to its Dockerfile', () => {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: ghcr.io/example/shop:2.1-frontend\n    command: ["node", "server.js"]\n`;
  const dockerfile = 'FROM node:20-slim\nCMD ["node", "server.js"]\n';
  const onPod = (files: Array<{ file: string; text: string }>) =>
    auditTextsStrict(files, { rules: ['pid1-signal-unverified'] }).findings.filter((f) => f.file === 'pod.yaml').length;
  it('without the Dockerfile the pod side reports; with src/frontend/Dockerfile the Dockerfile does', () => {
    expect(onPod([{ file: 'pod.yaml', text: pod }])).toBe(1);
    expect(
      onPod([
        { file: 'pod.yaml', text: pod },
        { file: 'src/frontend/Dockerfile', text: dockerfile },
      ]),
    ).toBe(0);
    expect(
      onPod([
        { file: 'pod.yaml', text: pod },
        { file: 'src/cart/Dockerfile', text: dockerfile },
      ]),
    ).toBe(1);
  });
});
