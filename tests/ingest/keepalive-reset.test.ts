// Regression: a pooled keep-alive socket the server closed just as it was reused failed pages of a sitemap run with ECONNRESET.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_LIMITS, fetchUrl } from '../../src/ingest/index.ts';

let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  // Each connection answers once; a second request on it is cut off unanswered, as when an idle timeout races the client.
  const served = new WeakSet<Socket>();
  server = createServer((req, res) => {
    requests++;
    if (served.has(req.socket)) return void req.socket.destroy();
    served.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '7' }).end('<ok/>\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sitemap.xml`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('asks again once on a fresh connection when a reused keep-alive socket is reset before any answer', async () => {
  const first = await fetchUrl({ url, limits: DEFAULT_LIMITS });
  const second = await fetchUrl({ url, limits: DEFAULT_LIMITS });
  expect([first.status, first.body.toString(), second.status, second.body.toString()]).toEqual([200, '<ok/>\n\n', 200, '<ok/>\n\n']);
  expect(requests).toBe(3);
});
