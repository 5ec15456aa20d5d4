import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKubeApi, type FakeOptions } from './fakeKubeApi.js';
import { runCli, tempDir, writeKubeconfig } from './cli.js';

let fake: FakeKubeApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function cluster(options: FakeOptions = {}) {
  fake = new FakeKubeApi(options);
  await fake.start();
  const dir = tempDir();
  return { fake, dir, kubeconfig: writeKubeconfig(dir, fake.url) };
}

function baseArgs(kubeconfig: string, url: string, dir: string, extra: string[] = []): string[] {
  return [
    'rollout',
    'deployment/web',
    '--kubeconfig',
    kubeconfig,
    '--url',
    url,
    '--rate',
    '50',
    // The machine is shared and busy; the verdict still needs load in every second.
    '--max-lag-p99',
    '300ms',
    '--warmup',
    '1s',
    '--settle',
    '1s',
    '--timeout',
    '20s',
    '--json',
    join(dir, 'result.json'),
    '--events',
    join(dir, 'events.ndjson'),
    ...extra,
  ];
}

const readEvents = (dir: string) =>
  readFileSync(join(dir, 'events.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Record<string, any>;

describe('zerodrop rollout against the fake API server', () => {
  it('passes a graceful restart, patching exactly like kubectl rollout restart', async () => {
    const { fake, dir, kubeconfig } = await cluster({ scenario: 'graceful' });
    const r = await runCli([...baseArgs(kubeconfig, fake.frontUrl, dir), '--restart']);
    expect(r.stderr + r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
  });
});
