import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const sleep = (seconds: number) => ({ preStop: { sleep: { seconds } } });
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
/** The app `web` behind its Service, its container running these fields, and more pod fields and documents. */
const app = (container: Record<string, unknown>, podSpec: Record<string, unknown> = {}, extra: Array<Record<string, unknown>> = []) =>
  manifests({
    containers: [{ ...APP, ports: [{ containerPort: 9000 }], ...container }],
    podSpec,
    extra,
    service: { ports: [{ port: 9000, targetPort: 9000 }] },
  });
const poolMount = (subPath?: string) => ({
  volumeMounts: [{ name: 'fpm', mountPath: subPath ? `/usr/local/etc/php-fpm.d/${subPath}` : '/usr/local/etc/php-fpm.d', ...(subPath ? { subPath } : {}) }],
});
const fpmVolume = { volumes: [{ name: 'fpm', configMap: { name: 'fpm' } }] };

const dockerfile = (text: string) => ({ file: 'web/Dockerfile', text });
const deployment = (image: string) =>
  manifests({
    containers: [{ name: 'php', image, ports: [{ containerPort: 9000 }], lifecycle: sleep(5) }],
    service: { ports: [{ port: 9000, targetPort: 9000 }] },
  });

testRule('php-fpm-workers-not-awaited', {
  valid: [
    { name: 'a custom image zerodrop cannot see inside', text: app({ image: 'registry.example.com/shop/php:1.4', lifecycle: sleep(5) }) },
    {
      name: 'a mounted pool file that sets process_control_timeout in [global]',
      text: app({ image: 'php:8.3-fpm', lifecycle: sleep(5), ...poolMount('zz-shutdown.conf') }, fpmVolume, [
        configMap('fpm', { 'zz-shutdown.conf': '[global]\nprocess_control_timeout = 20s\n' }),
      ]),
    },
    {
      name: 'a mounted pool directory from a ConfigMap the input does not hold',
      text: app({ image: 'php:8.3-fpm', lifecycle: sleep(5), ...poolMount() }, fpmVolume),
    },
    { name: 'the php CLI image runs no php-fpm', text: app({ image: 'php:8.3-cli', command: ['php', 'artisan', 'serve'] }) },
    {
      name: 'php-fpm -y names a config file of its own',
      text: app({ image: 'php:8.3-fpm', command: ['php-fpm', '-y', '/srv/fpm.conf'], lifecycle: sleep(5) }),
    },
    {
      name: 'a Dockerfile that edits php-fpm.conf (sed on process_control_timeout)',
      files: [
        dockerfile("FROM php:8.3-fpm\nRUN sed -i 's/;process_control_timeout = 0/process_control_timeout = 20s/' /usr/local/etc/php-fpm.conf\n"),
        { file: 'deploy.yaml', text: deployment('example/web:1.0') },
      ],
    },
  ],
  invalid: [
    {
      name: 'the official fpm image as it is: the default 0',
      text: app({ image: 'php:8.3-fpm-alpine', lifecycle: sleep(5) }),
      findings: [
        {
          messageId: 'notAwaited',
          container: 'app',
          data: {
            origin: "process_control_timeout is not set in the image php:8.3-fpm-alpine's config, so the default 0 applies",
            window: '25 s',
            suggested: 24,
          },
          fix: 'set it in the [global] section of a file php-fpm reads (e.g. mount a php-fpm.d/zz-shutdown.conf holding "[global]" and "process_control_timeout = 24s"), at most the 25 s the preStop and terminationGracePeriodSeconds leave php-fpm',
        },
      ],
    },
    {
      name: 'a mounted www.conf that tunes the pool but not the timeout',
      text: app({ image: 'php:8.2-fpm', lifecycle: sleep(10), ...poolMount('www.conf') }, { terminationGracePeriodSeconds: 60, ...fpmVolume }, [
        configMap('fpm', {
          'www.conf': '[www]\nuser = www-data\ngroup = www-data\nlisten = 9000\npm = dynamic\npm.max_children = 20\n; process_control_timeout = 30s\n',
        }),
      ]),
      findings: [
        {
          messageId: 'notAwaited',
          container: 'app',
          data: {
            origin:
              "process_control_timeout is not set in the image php:8.2-fpm's config or in the mounted /usr/local/etc/php-fpm.d/www.conf (ConfigMap fpm), so the default 0 applies",
            window: '50 s',
          },
        },
      ],
    },
    {
      name: 'written 0 in the mounted global config',
      text: app({ image: 'php:8.3-fpm', lifecycle: sleep(5), ...poolMount('zz-global.conf') }, fpmVolume, [
        configMap('fpm', { 'zz-global.conf': '[global]\nprocess_control_timeout = 0\n' }),
      ]),
      findings: [
        {
          messageId: 'notAwaited',
          container: 'app',
          data: { origin: 'process_control_timeout = 0 in /usr/local/etc/php-fpm.d/zz-global.conf (ConfigMap fpm)' },
        },
      ],
    },
    {
      name: 'an app image built FROM the official fpm image by a Dockerfile of the run, config untouched',
      files: [
        dockerfile('FROM php:8.3-fpm\nRUN docker-php-ext-install pdo_mysql opcache\nCOPY . /var/www/html\n'),
        { file: 'deploy.yaml', text: deployment('example/web:1.0') },
      ],
      findings: [
        {
          messageId: 'notAwaited',
          container: 'php',
          data: { origin: "process_control_timeout is not set in the base image php:8.3-fpm's config, so the default 0 applies" },
        },
      ],
    },
  ],
});
