// WebRTC port blocks for test platforms: 20000–29999, below Linux's ephemeral range (32768–60999) where
// the kernel hands ports to client sockets (the SFU unit tests use fixed blocks from 30100), and probed
// (TCP and UDP on loopback) so a block still held by another test file or another run on the machine
// is skipped instead of failing a worker's start.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const FIRST = 20_000;
const LAST = 30_000;

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** The first port of `size` consecutive ports free for TCP and UDP on 127.0.0.1. */
export async function freePortBlock(size = 20): Promise<number> {
  const blocks = Math.floor((LAST - FIRST) / size);
  const start = Math.floor(Math.random() * blocks);
  for (let i = 0; i < blocks; i++) {
    const base = FIRST + ((start + i) % blocks) * size;
    let free = true;
    for (let port = base; port < base + size && free; port++) {
      free = (await tcpFree(port)) && (await udpFree(port));
    }
    if (free) return base;
  }
  throw new Error(`no free block of ${size} ports between ${FIRST} and ${LAST}`);
}
