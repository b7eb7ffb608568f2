// A client that sends its request headers a byte at a time (slowloris) is cut off, and others are served meanwhile.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/index.ts';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-slowloris-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ok</title>\n');
  server = await startServer({ source: dir, port: 0, requestTimeoutMs: 800 });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('slow request headers', () => {
  it('answers 408 and closes the socket of a client that never finishes its headers; a normal client is served meanwhile', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d));
    socket.on('error', () => {}); // the server may reset the socket while a drip byte is in flight
    const drip = setInterval(() => socket.write('X'), 100);
    socket.on('close', () => clearInterval(drip));
    socket.write('GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ');
    const started = Date.now();
    const ok = await fetch(server.url);
    expect([ok.status, await ok.text()]).toEqual([200, '<!doctype html><title>ok</title>\n']);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
