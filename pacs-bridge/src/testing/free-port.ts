// A free TCP port on loopback for a service a test is about to start. The port is released before
// the service binds it, so another process could in principle take it first; on a test machine
// that race is rare enough, and the service's own start-up fails loudly if it happens.
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
