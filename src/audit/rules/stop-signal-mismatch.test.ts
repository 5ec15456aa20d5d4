import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'stop-signal-mismatch';

describeFixtureTable(ID, [
  ['nginx reloading on HUP never exits (talk demo image)', 'FROM nginx\nSTOPSIGNAL HUP\n', 1],
  ['numeric STOPSIGNAL 3 is SIGQUIT', 'FROM nginx\nSTOPSIGNAL 3\n', 0],
  ['official nginx before 1.19.5 inherits SIGTERM (§6.2)', 'FROM nginx:1.18\n', 1],
  ['official nginx 1.19.5 sets SIGQUIT', 'FROM nginx:1.19.5\n', 0],
  ['openresty on SIGTERM', 'FROM debian:12\nCMD ["openresty", "-g", "daemon off;"]\n', 1],
  ['php-fpm needs QUIT', 'FROM php:8.3-fpm\nSTOPSIGNAL SIGTERM\n', 1],
  ['php-fpm with QUIT', 'FROM php:8.3-fpm\nSTOPSIGNAL SIGQUIT\n', 0],
  ['apache2 via sh -c on debian', 'FROM debian:12\nCMD ["sh", "-c", "exec apache2ctl -DFOREGROUND; apache2 -DFOREGROUND"]\n', 1],
  ['nginx after the official entrypoint script', 'FROM nginx:1.18\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n', 1],
  ['a script named after nginx is not nginx', 'FROM python:3.12\nCMD ["python", "/app/nginx_log_parser.py"]\n', 0],
  ['an app image is none of our business', 'FROM node:20\nCMD ["node", "server.js"]\n', 0],
]);

describe(ID, () => {
  it('explains that SIGHUP only reloads nginx', () => {
    const [f] = auditText('FROM nginx:1.27\nSTOPSIGNAL SIGHUP\n', { rules: [ID] });
    expect(f!.message).toMatch(/reloads/);
    expect([f!.line, f!.column]).toEqual([2, 1]);
  });

  it('checks an official image in a pod spec when no Dockerfile of the run builds it', () => {
    const text = (image: string, stopSignal = '') =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n    image: ${image}\n${stopSignal}`;
    expect(auditText(text('nginx:1.17'), { rules: [ID] })).toHaveLength(1);
    expect(auditText(text('nginx:1.27'), { rules: [ID] })).toHaveLength(0);
    expect(auditText(text('bitnami/nginx:1.17'), { rules: [ID] }), 'unknown image: no guess').toHaveLength(0);
    expect(auditText(text('nginx:1.27', '    lifecycle: {stopSignal: SIGTERM}\n'), { rules: [ID] })).toHaveLength(1);
  });
});
