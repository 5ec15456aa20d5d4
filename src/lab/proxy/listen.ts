import type { Server } from 'node:net';
import { once } from 'node:events';

/** Listens (port 0: any free port) and resolves with the port actually bound. */
export async function listen(server: Server, host: string, port = 0): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
