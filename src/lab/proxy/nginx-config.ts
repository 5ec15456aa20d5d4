import type { Endpoint } from './endpoints.js';

export interface NginxConfigInput {
  /** Directory for pid, logs and temp files (nginx `-p` prefix); must be absolute. */
  prefix: string;
  host: string;
  port: number;
  endpoints: readonly Endpoint[];
  /** Extra attempts on another upstream for idempotent requests (0: `proxy_next_upstream off`). */
  retries: number;
  /** Upstream keepalive_timeout in ms (ingress-nginx default 60 s, docs/reference/traffic-routing.md#ingress-and-load-balancers). */
  keepAliveMs: number;
  podHeader: string;
}

const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The ingress-nginx-like configuration (docs/reference/traffic-routing.md#ingress-and-load-balancers): one upstream block with the
 * current endpoints, upstream keep-alive, `max_fails=0` so nginx never takes a peer out by itself
 * (endpoint changes come only from the lab, like ingress-nginx's Lua balancer), and the serving pod
 * named in a response header through a map over `$upstream_addr` (its last entry after a retry).
 * Every path lives under `prefix`, so it runs without root and touches nothing of the system nginx.
 */
export function renderNginxConfig(input: NginxConfigInput): string {
  const p = input.prefix;
  const header = input.podHeader;
  const lines: string[] = [
    'worker_processes 1;',
    'daemon off;',
    'master_process on;',
    `pid ${p}/nginx.pid;`,
    `error_log ${p}/error.log notice;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${p}/client_body;`,
    `  proxy_temp_path ${p}/proxy;`,
    `  fastcgi_temp_path ${p}/fastcgi;`,
    `  uwsgi_temp_path ${p}/uwsgi;`,
    `  scgi_temp_path ${p}/scgi;`,
    '  keepalive_timeout 65s;',
    '  keepalive_requests 100000;',
  ];
  const server = [`  server {`, `    listen ${input.host}:${input.port};`];
  if (input.endpoints.length === 0) {
    server.push(`    location / { add_header ${header} "" always; return 503 "no endpoints\\n"; }`);
  } else {
    lines.push('  map $upstream_addr $zerodrop_pod {', '    default "";');
    for (const e of input.endpoints) lines.push(`    "~${regexEscape(`${e.host}:${e.port}`)}$" "${e.name}";`);
    lines.push('  }');
    lines.push('  upstream pods {');
    for (const e of input.endpoints) lines.push(`    server ${e.host}:${e.port} max_fails=0;`);
    lines.push('    keepalive 320;', `    keepalive_timeout ${Math.max(1, Math.round(input.keepAliveMs))}ms;`, '    keepalive_requests 10000;', '  }');
    server.push(
      '    location / {',
      '      proxy_pass http://pods;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '      proxy_set_header Host $host;',
      input.retries > 0 ? `      proxy_next_upstream error timeout; proxy_next_upstream_tries ${input.retries + 1};` : '      proxy_next_upstream off;',
      `      add_header ${header} $zerodrop_pod always;`,
      '    }',
    );
  }
  server.push('  }');
  lines.push(...server, '}');
  return `${lines.join('\n')}\n`;
}
