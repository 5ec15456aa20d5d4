/** Manifests the audit benchmarks read, written the way real fleets write them. */

/** A realistic fleet: probes everywhere, and every third app without a preStop delay. */
export function fleetStream(pairs: number): string {
  const docs: string[] = [];
  for (let i = 0; i < pairs; i++) {
    const name = `app-${i}`;
    const preStop =
      i % 3 === 0
        ? ''
        : `
        lifecycle:
          preStop:
            sleep:
              seconds: 10`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels:
    app: ${name}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: ${name}
        tier: web
    spec:
      terminationGracePeriodSeconds: 45
      containers:
      - name: ${name}
        image: registry.example.com/${name}:1.${i % 7}.0
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: http
          periodSeconds: 2
        livenessProbe:
          httpGet:
            path: /live
            port: http
          periodSeconds: 10
          failureThreshold: 6${preStop}
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${i % 20}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: http
`);
  }
  return docs.join('---\n');
}
