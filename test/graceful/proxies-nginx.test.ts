/**
 * zerodrop/graceful behind real nginx configured as ingress-nginx runs it (an upstream keep-alive
 * pool, `max_fails=0`, `proxy_next_upstream off`), with pod A taken out by a configuration reload.
 * A reload retires nginx's old worker, which closes the idle client connections it holds: a
 * client reusing one just then fails. That is nginx's own loss towards its clients; it is
 * measured and reported apart from the proxy→pod hop, which must stay clean.
 * Needs `npm run build` first (the fixture imports dist/graceful).
 */
import { afterEach, describe } from 'vitest';
import { nginxAvailable } from '../../src/lab/proxy/nginx-ingress.js';
import { reapAll } from './harness.js';
import { proxyDrainSuite } from './proxy-cases.js';

afterEach(reapAll);

const available = nginxAvailable();
if (!available) console.warn('SKIPPING nginx drain tests: /usr/sbin/nginx is missing (scripts/ensure-system-deps.mjs installs it as root)');

describe.skipIf(!available)('nginx', () => proxyDrainSuite('nginx', { refusedStatus: '502', noOwnLoss: false }));
