import { describe, expect, it } from 'vitest';
import { parseImageRef, serverForImage } from './images.js';

describe('serverForImage (§6.2)', () => {
  it.each([
    ['nginx:1.27', 'nginx'],
    ['php:8.3-fpm-alpine', 'php-fpm'],
    ['php:8.3-apache', undefined],
    ['haproxy:2.9', 'haproxy'],
    ['node:20', undefined],
  ])('%s runs %s', (image, server) => {
    expect(serverForImage(parseImageRef(image))?.server).toBe(server);
  });
});
