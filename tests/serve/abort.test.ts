/** A reader who leaves in the middle of a CAR: the producer finishes instead of waiting forever, and the server keeps serving. */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pipeToResponse } from '../../src/serve/gateway.ts';

describe('a reader who leaves mid-response', () => {
  it('pipeToResponse consumes the rest and resolves once the socket is gone', async () => {
    let produced = 0;
    let finished: Promise<void> | undefined;
    const server = createServer((_req, res) => {
      res.writeHead(200);
      finished = pipeToResponse((async function* () {
        for (; produced < 400; produced++) yield Buffer.alloc(1 << 16, 0x62); // 25 MiB, far past every socket buffer
      })(), res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    await finished;
    expect(produced).toBe(400);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
