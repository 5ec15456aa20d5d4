import { describe, expect, it } from 'vitest';
import { renderNginxConfig, type NginxConfigInput } from './nginx-config.js';

const base: NginxConfigInput = {
  prefix: '/tmp/zd',
  host: '127.0.0.1',
  port: 8080,
  endpoints: [
    { name: 'web-a', host: '127.0.0.1', port: 4001 },
    { name: 'web-b', host: '127.0.0.1', port: 4002 },
  ],
  retries: 0,
  keepAliveMs: 60_000,
  podHeader: 'x-zerodrop-pod',
};

describe('renderNginxConfig (ingress-nginx-like, docs/reference/traffic-routing.md#ingress-and-load-balancers)', () => {
  it('lists every endpoint in the upstream, never taken out by nginx itself', () => {
    const conf = renderNginxConfig(base);
    expect(conf).toContain('server 127.0.0.1:4001 max_fails=0;');
    expect(conf).toContain('server 127.0.0.1:4002 max_fails=0;');
    expect(conf).toContain('keepalive_timeout 60000ms;');
    expect(conf).toContain('listen 127.0.0.1:8080;');
  });

  it('maps the upstream address (last one after a retry) to the pod name', () => {
    expect(renderNginxConfig(base)).toContain('"~127\\.0\\.0\\.1:4001$" "web-a";');
  });

  it('keeps every path under the prefix (runs without root)', () => {
    const conf = renderNginxConfig(base);
    for (const line of conf.split('\n').filter((l) => /(_path|pid|error_log) /.test(l))) expect(line).toContain('/tmp/zd/');
  });

  it('has no retries unless asked', () => {
    expect(renderNginxConfig(base)).toContain('proxy_next_upstream off;');
    expect(renderNginxConfig({ ...base, retries: 2 })).toContain('proxy_next_upstream error timeout; proxy_next_upstream_tries 3;');
  });

  it('answers 503 with no endpoints instead of an empty (invalid) upstream', () => {
    const conf = renderNginxConfig({ ...base, endpoints: [] });
    expect(conf).not.toContain('upstream pods');
    expect(conf).toContain('return 503');
  });
});
