/**
 * zerodrop/graceful behind real HAProxy (`http-reuse always`, `retries 0`, no health checks),
 * with pod A taken out through the runtime API on the stats socket. HAProxy changes its servers
 * without a reload, so the client must see exactly what the hop sees.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe } from 'vitest';
import { haproxyAvailable } from '../../bench/support/haproxy.js';
import { reapAll } from './harness.js';
import { proxyDrainSuite } from './proxy-cases.js';

afterEach(reapAll);

const available = haproxyAvailable();
if (!available) console.warn('SKIPPING HAProxy drain tests: /usr/sbin/haproxy is missing (scripts/ensure-system-deps.mjs installs it as root)');

describe.skipIf(!available)('HAProxy', () => proxyDrainSuite('haproxy', { refusedStatus: '503', noOwnLoss: true }));
