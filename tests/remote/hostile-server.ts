/** A real HTTP server on 127.0.0.1 that answers each path with one hostile (or honest) answer, raw on the socket when HTTP itself must be broken. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type Answer = (res: ServerResponse, req: IncomingMessage) => void;

export interface HostileServer {
  base: string;
  port: number;
  /** path (without the query) → answer; unknown paths are 404. */
  routes: Map<string, Answer>;
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const routes = new Map<string, Answer>();
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const answer = routes.get((req.url ?? '/').split('?')[0]!);
    if (answer) answer(res, req);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}/`,
    port,
    routes,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Raw bytes on the socket: a status line, headers, a body, then close (for answers Node's server would refuse to send). */
export function raw(head: string, body: Buffer, then: 'end' | 'destroy' = 'end'): Answer {
  return (res) => {
    const socket = res.socket!;
    socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${head}\r\nConnection: close\r\n\r\n`), body]), () => (then === 'end' ? socket.end() : socket.destroy()));
  };
}

export const ok = (body: Buffer, type = 'application/octet-stream'): Answer => (res) => res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);

/** The honest bytes with more appended (an injected script). */
export const appended = (body: Buffer): Answer => ok(Buffer.concat([body, Buffer.from('<script src="//evil.example/x.js"></script>')]), 'text/html');

/** A complete, well-formed answer with fewer bytes than signed. */
export const truncated = (body: Buffer): Answer => ok(body.subarray(0, body.length - 20), 'text/html');

/** Content-Length says 10, the whole file follows: a client must not read past the 10. */
export const shortLength = (body: Buffer): Answer => raw(`200 OK\r\nContent-Type: text/html\r\nContent-Length: 10`, body);

/** Content-Length says the full size, half comes, then the connection is reset. */
export const resetMidBody = (body: Buffer): Answer => raw(`200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}`, body.subarray(0, body.length >> 1), 'destroy');

/** A chunked body that never ends. */
export const endless: Answer = (res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  const chunk = Buffer.alloc(1 << 14, 0x41);
  const push = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', push);
  };
  push();
};

/** A redirect to the same path on another host name (localhost instead of 127.0.0.1). */
export const toOtherHost = (port: number): Answer => (res, req) => res.writeHead(302, { location: `http://localhost:${port}${req.url}` }).end();

/** A login / block page, 200, text/html. */
export const loginPage: Answer = (res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in to the Wi-Fi</title><form>…</form>\n');

let bomb: Buffer | undefined;
/** 64 MiB of zeros as ~64 KiB of gzip. */
export const gzipBomb: Answer = (res) => {
  bomb ??= gzipSync(Buffer.alloc(64 << 20), { level: 9 });
  res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
};
