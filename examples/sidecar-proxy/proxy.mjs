#!/usr/bin/env node
// A stand-in for a database sidecar proxy (cloud-sql-proxy and friends): it answers the app's
// backend calls on PORT and, like cloud-sql-proxy v2 without --max-sigterm-delay, exits at once on
// SIGTERM (docs/reference/signals.md#image-stop-signals).
import http from 'node:http';

const server = http.createServer((_req, res) => res.end('db ok\n'));
process.on('SIGTERM', () => process.exit(143));
server.listen(Number(process.env.PORT ?? 5432), '127.0.0.1');
