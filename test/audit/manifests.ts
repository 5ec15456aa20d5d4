/** Manifests the CLI tests start from and then change one thing in. */

/** A Deployment with one container and neither probes nor preStop: findings, and a fix to apply. */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
`;

/** What `--fix-in-place` adds to WEB_DEPLOYMENT's container, in the file's own indentation. */
export const WEB_DEPLOYMENT_FIX = `        lifecycle:
          preStop:
            sleep:
              seconds: 5
        readinessProbe:
          tcpSocket:
            port: 80
          periodSeconds: 5
          failureThreshold: 3
`;
