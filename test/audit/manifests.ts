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
