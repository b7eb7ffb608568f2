/** A tiny SOCKS5 server (RFC 1928, no auth, CONNECT) standing in for tor's SOCKS port: *.onion names go to a local port. */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SocksServer {
  port: number;
  /** host:port the proxy was asked for, in order. */
  asked: string[];
  close(): Promise<void>;
}

export async function startSocksServer(route: (host: string, port: number) => number | undefined): Promise<SocksServer> {
  const asked: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let stage = 0;
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 0 && buffer.length >= 2 && buffer.length >= 2 + (buffer[1] ?? 0)) {
        buffer = buffer.subarray(2 + (buffer[1] ?? 0));
        client.write(Buffer.from([5, 0]));
        stage = 1;
      }
      if (stage === 1 && buffer.length >= 5 && buffer[3] === 3 && buffer.length >= 7 + (buffer[4] ?? 0)) {
        const len = buffer[4] ?? 0;
        const host = buffer.subarray(5, 5 + len).toString();
        const port = buffer.readUInt16BE(5 + len);
        const rest = buffer.subarray(7 + len);
        asked.push(`${host}:${port}`);
        client.off('data', onData);
        const local = route(host, port);
        if (local === undefined) {
          client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        const upstream = connect(local, '127.0.0.1', () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          if (rest.length) upstream.write(rest);
          client.pipe(upstream).pipe(client);
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    asked,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
