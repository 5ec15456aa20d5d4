import { testRule } from './fixtures/ruleTester.js';

// docs/reference/signals.md#image-stop-signals: the graceful stop signal of each server; official nginx images set SIGQUIT from 1.19.5.
const pod = (image: string, stopSignal = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n    image: ${image}\n${stopSignal}`;

testRule('stop-signal-mismatch', {
  valid: [
    { name: 'numeric STOPSIGNAL 3 is SIGQUIT', text: 'FROM nginx\nSTOPSIGNAL 3\n' },
    { name: 'official nginx 1.19.5 sets SIGQUIT', text: 'FROM nginx:1.19.5\n' },
    { name: 'php-fpm with QUIT', text: 'FROM php:8.3-fpm\nSTOPSIGNAL SIGQUIT\n' },
    {
      name: 'a Rails app on unicorn with STOPSIGNAL SIGQUIT',
      text: 'FROM ruby:3.3-slim\nWORKDIR /app\nSTOPSIGNAL SIGQUIT\nCMD ["bundle", "exec", "unicorn", "-c", "config/unicorn.rb"]\n',
    },
    { name: 'a Rails app on Puma (graceful on SIGTERM)', text: 'FROM ruby:3.3-slim\nCMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]\n' },
    { name: 'a script named after nginx is not nginx', text: 'FROM python:3.12\nCMD ["python", "/app/nginx_log_parser.py"]\n' },
    { name: 'an app image is none of our business', text: 'FROM node:20\nCMD ["node", "server.js"]\n' },
    { name: 'a current official nginx image in a pod spec', text: pod('nginx:1.27') },
    { name: 'an unknown image: no guess', text: pod('bitnami/nginx:1.17') },
    {
      name: 'a pod running an image that a Dockerfile of the run builds is judged by the Dockerfile',
      files: [
        { file: 'nginx/Dockerfile', text: 'FROM nginx:1.27\n' },
        { file: 'pod.yaml', text: pod('nginx') },
      ],
    },
  ],
  invalid: [
    {
      name: 'nginx reloading on HUP never exits (talk demo image), at the STOPSIGNAL',
      text: 'FROM nginx:1.27\nSTOPSIGNAL SIGHUP\n',
      findings: [{ messageId: 'sighupReloads', line: 2, column: 1, data: { where: 'STOPSIGNAL SIGHUP' }, fixId: 'stopSignalNginx' }],
    },
    {
      name: 'official nginx before 1.18 inherits SIGTERM, at the FROM',
      text: 'FROM nginx:1.17\n',
      findings: [
        {
          messageId: 'sigtermCuts',
          line: 1,
          data: { where: 'the base image nginx:1.17 (STOPSIGNAL SIGTERM)', server: 'nginx', gracefulSignal: 'SIGQUIT' },
          fix: 'STOPSIGNAL SIGQUIT (or base on nginx ≥ 1.19.5, which sets it); keep a preStop sleep too, since nginx stops accepting at once',
        },
      ],
    },
    {
      name: 'openresty on SIGTERM, with no STOPSIGNAL at all',
      text: 'FROM debian:12\nCMD ["openresty", "-g", "daemon off;"]\n',
      findings: [
        {
          messageId: 'sigtermCuts',
          line: 1,
          data: { where: 'the image (no STOPSIGNAL, so the runtime sends SIGTERM)', server: 'openresty' },
          fix: 'STOPSIGNAL SIGQUIT; keep a preStop sleep too, since openresty stops accepting at once',
        },
      ],
    },
    {
      name: 'unicorn under bundle exec, stopped with SIGTERM: a quick shutdown that kills the workers',
      text: 'FROM ruby:3.3-slim\nWORKDIR /app\nCOPY . .\nCMD ["bundle", "exec", "unicorn", "-c", "config/unicorn.rb", "-p", "8080"]\n',
      findings: [
        {
          messageId: 'sigtermCuts',
          line: 1,
          data: { where: 'the image (no STOPSIGNAL, so the runtime sends SIGTERM)', server: 'unicorn', gracefulSignal: 'SIGQUIT' },
          fix: 'STOPSIGNAL SIGQUIT; keep a preStop sleep too, since unicorn stops accepting at once',
        },
      ],
    },
    {
      name: 'unicorn_rails in a pod on the official ruby image',
      text: pod('ruby:3.3', '    command: ["bundle", "exec", "unicorn_rails", "-E", "production"]\n'),
      findings: [{ messageId: 'sigtermCuts', container: 'web', data: { server: 'unicorn' }, fixId: 'buildWithStopSignal' }],
    },
    {
      name: 'php-fpm needs QUIT',
      text: 'FROM php:8.3-fpm\nSTOPSIGNAL SIGTERM\n',
      findings: [{ messageId: 'sigtermCuts', line: 2, data: { where: 'STOPSIGNAL SIGTERM', server: 'php-fpm' }, fixId: 'stopSignalPhpFpm' }],
    },
    {
      name: 'php-fpm from Alpine packages: no STOPSIGNAL, and the timeout is named in the fix',
      text: 'FROM alpine:3.20\nRUN apk add --no-cache php83-fpm\nCMD ["php-fpm83", "-F"]\n',
      findings: [
        {
          messageId: 'sigtermCuts',
          line: 1,
          data: { where: 'the image (no STOPSIGNAL, so the runtime sends SIGTERM)', server: 'php-fpm' },
          fix:
            'STOPSIGNAL SIGQUIT, and set process_control_timeout in the [global] section of its config: with the default 0 even SIGQUIT ' +
            'kills the workers at once (php-fpm-workers-not-awaited); keep a preStop sleep too, since php-fpm stops accepting at once',
        },
      ],
    },
    {
      name: 'HAProxy stopped with SIGINT',
      text: 'FROM haproxy:2.9\nSTOPSIGNAL SIGINT\n',
      findings: [{ messageId: 'notGraceful', line: 2, data: { server: 'haproxy', signal: 'SIGINT', gracefulSignal: 'SIGUSR1' } }],
    },
    {
      name: 'apache2 via sh -c on debian',
      text: 'FROM debian:12\nCMD ["sh", "-c", "a2enmod rewrite && exec apache2 -DFOREGROUND"]\n',
      findings: [{ messageId: 'sigtermCuts', line: 1, data: { server: 'httpd', gracefulSignal: 'SIGWINCH' } }],
    },
    {
      name: 'nginx after the official entrypoint script',
      text: 'FROM nginx:1.19.4\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      findings: [{ messageId: 'sigtermCuts', line: 1, data: { server: 'nginx' } }],
    },
    {
      name: 'an old official nginx image in a pod spec, at the image',
      text: pod('nginx:1.17'),
      findings: [
        {
          messageId: 'sigtermCuts',
          line: 7,
          container: 'web',
          data: { where: 'image nginx:1.17 (official nginx images before 1.19.5 set STOPSIGNAL SIGTERM)' },
          fixId: 'newerNginx',
        },
      ],
    },
    {
      name: 'lifecycle.stopSignal SIGTERM on a current nginx',
      text: pod('nginx:1.27', '    lifecycle: {stopSignal: SIGTERM}\n'),
      findings: [
        { messageId: 'sigtermCuts', line: 8, container: 'web', data: { where: 'lifecycle.stopSignal of container web' }, fix: 'lifecycle.stopSignal: SIGQUIT' },
      ],
    },
    {
      name: "nginx run on the httpd image gets httpd's STOPSIGNAL: build an image with the right one",
      text: pod('httpd:2.4', '    command: ["nginx", "-g", "daemon off;"]\n'),
      findings: [
        {
          messageId: 'notGraceful',
          line: 7,
          container: 'web',
          data: { where: 'image httpd:2.4', server: 'nginx', signal: 'SIGWINCH' },
          fix: 'build the image with STOPSIGNAL SIGQUIT',
        },
      ],
    },
  ],
});
