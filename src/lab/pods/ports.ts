import net from 'node:net';

/**
 * A free loopback port: bind port 0, read what the kernel chose, release it. Another process may
 * take it before the pod binds it; the window is microseconds and a pod that cannot bind crashes
 * visibly (its restart picks the same port again, which is then usually free).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
