import { testRule } from './fixtures/ruleTester.js';

// docs/reference/app-frameworks.md#spring-boot: server.shutdown=immediate closes the web server at SIGTERM; 2.3 added graceful.
const deployment = (container: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: registry.example.com/web:1\n        ports: [{containerPort: 8080}]\n${container}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 8080}]\n${extra}`;
const envPatch = (name: string) => ({ spec: { template: { spec: { containers: [{ name: 'web', env: [{ name, value: 'graceful' }] }] } } } });

testRule('spring-shutdown-immediate', {
  valid: [
    { name: 'graceful from the environment', text: deployment('        env: [{name: SERVER_SHUTDOWN, value: graceful}]\n') },
    { name: 'not Spring Boot: SERVER_PORT alone says nothing', text: deployment('        env: [{name: SERVER_PORT, value: "8080"}]\n') },
    {
      name: 'immediate in a config file Spring Boot does not read (outside ./config of the working directory)',
      text: deployment(
        '        workingDir: /app\n        volumeMounts: [{name: c, mountPath: /etc/web}]\n      volumes: [{name: c, configMap: {name: web}}]\n',
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n  application.yml: "spring.application.name: web\\nserver.shutdown: immediate\\n"\n',
      ),
    },
    {
      name: 'a worker that serves no traffic is not judged',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {app: w}}\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n      containers:\n      - name: w\n        image: registry.example.com/w:1\n        env: [{name: SERVER_SHUTDOWN, value: immediate}]\n',
    },
  ],
  invalid: [
    {
      name: 'immediate in JAVA_TOOL_OPTIONS: a system property outranks the environment, so no env patch',
      text: deployment('        env: [{name: JAVA_TOOL_OPTIONS, value: "-Xss512k -Dserver.shutdown=immediate"}]\n'),
      findings: [
        {
          messageId: 'immediateSet',
          line: 10,
          container: 'web',
          data: { written: 'JAVA_TOOL_OPTIONS -Dserver.shutdown=immediate' },
          fix: 'set server.shutdown=graceful instead (where it is written now: JAVA_TOOL_OPTIONS -Dserver.shutdown=immediate), and keep terminationGracePeriodSeconds above the preStop plus spring.lifecycle.timeout-per-shutdown-phase (30 s by default)',
        },
      ],
    },
    {
      name: 'immediate as an application argument, at the argument',
      text: deployment('        args: ["--spring.profiles.active=prod", "--server.shutdown=immediate"]\n'),
      findings: [{ messageId: 'immediateSet', line: 13, container: 'web', data: { written: '--server.shutdown=immediate' }, fixId: 'setGraceful' }],
    },
    {
      name: 'immediate in SPRING_APPLICATION_JSON',
      text: deployment('        env: [{name: SPRING_APPLICATION_JSON, value: \'{"server":{"shutdown":"immediate"}}\'}]\n'),
      findings: [{ messageId: 'immediateSet', line: 10, container: 'web', data: { written: 'SPRING_APPLICATION_JSON server.shutdown=immediate' } }],
    },
    {
      name: 'immediate from an envFrom ConfigMap: the patch sets the variable on the container, which wins',
      text: deployment(
        '        envFrom: [{configMapRef: {name: web-env}}]\n',
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-env}\ndata: {SPRING_PROFILES_ACTIVE: prod, SERVER_SHUTDOWN: immediate}\n',
      ),
      findings: [{ messageId: 'immediateSet', line: 10, container: 'web', patch: envPatch('SERVER_SHUTDOWN') }],
    },
    {
      name: 'a Spring Boot version the Dockerfile names that has no graceful shutdown',
      files: [
        {
          file: 'web/Dockerfile',
          text: 'FROM eclipse-temurin:8-jre\nLABEL org.springframework.boot.version=2.1.18\nCOPY web.jar /web.jar\nENTRYPOINT ["java", "-jar", "/web.jar"]\n',
        },
        { file: 'deploy.yaml', text: deployment('        env: [{name: SPRING_PROFILES_ACTIVE, value: prod}]\n') },
      ],
      findings: [
        {
          messageId: 'noGracefulShutdown',
          line: 10,
          container: 'web',
          data: { version: '2.1.18', versionFrom: 'org.springframework.boot.version in web/Dockerfile' },
          fixId: 'upgradeBoot',
        },
      ],
    },
  ],
});
