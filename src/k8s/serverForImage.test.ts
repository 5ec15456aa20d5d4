import { describe, expect, it } from 'vitest';
import { parseImageRef, serverForImage } from './images.js';

describe('serverForImage: by exact repository and tag variant, never by a name it contains', () => {
  it.each([
    ['nginx:1.27', 'nginx'],
    ['php:8.3-fpm-alpine', 'php-fpm'],
    ['php:8.3-apache', 'httpd'],
    ['php:8.3-cli', undefined],
    ['nginxinc/nginx-unprivileged:1.27-alpine', 'nginx'],
    ['docker.io/library/nginx:1.27', 'nginx'],
    ['registry.k8s.io/ingress-nginx/controller:v1.11.2', undefined],
    ['quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.30.0', undefined],
    ['nginx/nginx-ingress:3.6.1', undefined],
    ['nginx/nginx-prometheus-exporter:1.3.0', undefined],
    ['bitnami/nginx:1.27', undefined],
    ['haproxy:2.9', 'haproxy'],
    ['node:20', undefined],
  ])('%s runs %s', (image, server) => {
    expect(serverForImage(parseImageRef(image))?.server).toBe(server);
  });
});
