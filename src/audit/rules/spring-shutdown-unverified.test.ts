import { testRule } from './fixtures/ruleTester.js';

// docs/reference/app-frameworks.md#spring-boot: immediate before 3.4, graceful from 3.4; the packaged application.yml is never in the input.
const deployment = (container: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/web:1\n        ports: [{containerPort: 8080}]\n${container}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 8080}]\n${extra}`;
const envPatch = { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'SERVER_SHUTDOWN', value: 'graceful' }] }] } } } };
const dockerfile = (label: string) => ({
  file: 'web/Dockerfile',
  text: `FROM eclipse-temurin:21-jre\n${label}COPY web.jar /web.jar\nENTRYPOINT ["java", "-jar", "/web.jar"]\n`,
});

testRule('spring-shutdown-unverified', {
  valid: [
    {
      name: 'server.shutdown set in the environment',
      text: deployment('        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}, {name: SERVER_SHUTDOWN, value: graceful}]\n'),
    },
    {
      name: 'Spring Boot 3.4 or later named by the image build: graceful by default',
      files: [
        dockerfile('ARG SPRING_BOOT_VERSION=3.4.1\n'),
        { file: 'deploy.yaml', text: deployment('        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n') },
      ],
    },
    { name: 'not Spring Boot', text: deployment('        env: [{name: NODE_ENV, value: production}]\n') },
  ],
  invalid: [
    {
      name: 'a version before 3.4 in the Dockerfile: the default is immediate unless the jar says graceful',
      files: [
        dockerfile('LABEL org.springframework.boot.version="3.2.5"\n'),
        { file: 'deploy.yaml', text: deployment('        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n') },
      ],
      findings: [{ messageId: 'versionDefaultsImmediate', line: 10, container: 'web', data: { version: '3.2.5' }, patch: envPatch }],
    },
    {
      name: 'an envFrom Secret could set it: the hint says so',
      text: deployment('        envFrom: [{secretRef: {name: web-env}}]\n        args: ["--spring.profiles.active=prod"]\n'),
      findings: [{ messageId: 'versionDecides', line: 10, container: 'web', data: { hidden: ' (envFrom Secret web-env may)' }, patch: envPatch }],
    },
    {
      name: 'immediate in a config directory read only from the right working directory: a hint, not an error',
      text: deployment(
        '        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n        volumeMounts: [{name: c, mountPath: /config}]\n      volumes: [{name: c, configMap: {name: web}}]\n',
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  application.properties: "server.shutdown=immediate\\n"\n',
      ),
      findings: [{ messageId: 'maybeReadFile', line: 10, container: 'web', fixId: 'setGracefulEnv', patch: envPatch }],
    },
  ],
});
