/** A minimal SOCKS5 client (RFC 1928, no auth, CONNECT by host name) for reaching onion mirrors through tor. */
import { connect, type Socket } from 'node:net';
import { NewsmirrorError } from '../core/errors.ts';

const REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** A URL on a Tor onion service: reachable only through a SOCKS5 proxy (tor), which resolves the name. */
export function isOnion(url: string): boolean {
  return new URL(url).hostname.endsWith('.onion');
}

/** What to say when an onion address is to be reached without a proxy. */
export const ONION_NEEDS_SOCKS = 'an onion address: give --socks HOST:PORT (tor, e.g. 127.0.0.1:9050)';

/** "127.0.0.1:9050" → host and port. */
export function parseProxy(text: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m || !(port > 0 && port < 65536)) throw new NewsmirrorError('ERR_USAGE', `--socks "${text}" is not HOST:PORT, e.g. 127.0.0.1:9050 (tor's SOCKS port)`);
  return { host: m[1] as string, port };
}

/** Read exactly `n` bytes from the socket (the handshake is tiny and strictly request/reply). */
function readBytes(socket: Socket, n: number, buffered: { data: Buffer }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const take = () => {
      if (buffered.data.length < n) return false;
      const out = buffered.data.subarray(0, n);
      buffered.data = buffered.data.subarray(n);
      resolve(out);
      return true;
    };
    if (take()) return;
    const onData = (chunk: Buffer) => {
      buffered.data = Buffer.concat([buffered.data, chunk]);
      if (take()) cleanup();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('the SOCKS proxy closed the connection'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}

/** Open a TCP stream to host:port through the SOCKS5 proxy; the proxy resolves the name (so .onion works). */
export async function socksConnect(proxy: string, host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  const { host: proxyHost, port: proxyPort } = parseProxy(proxy);
  const socket = connect(proxyPort, proxyHost);
  const abort = () => socket.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error) => reject(new NewsmirrorError('ERR_SOCKS', `cannot reach the SOCKS proxy ${proxy}: ${error.message}; is tor running?`, { cause: error })));
    });
    const buffered = { data: Buffer.alloc(0) };
    socket.write(Buffer.from([5, 1, 0]));
    const hello = await readBytes(socket, 2, buffered);
    if (hello[0] !== 5 || hello[1] !== 0) throw new NewsmirrorError('ERR_SOCKS', `the SOCKS proxy ${proxy} wants authentication or is not SOCKS5`);
    const name = Buffer.from(host, 'utf8');
    if (name.length > 255) throw new NewsmirrorError('ERR_SOCKS', `host name too long for SOCKS: ${host}`);
    socket.write(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([port >> 8, port & 0xff])]));
    const reply = await readBytes(socket, 4, buffered);
    if (reply[1] !== 0) throw new NewsmirrorError('ERR_SOCKS', `the SOCKS proxy ${proxy} could not connect to ${host}:${port}: ${REPLIES[reply[1] ?? 1] ?? `error ${reply[1]}`}`);
    const rest = reply[3] === 1 ? 4 + 2 : reply[3] === 4 ? 16 + 2 : (await readBytes(socket, 1, buffered))[0]! + 2;
    await readBytes(socket, rest, buffered);
    if (buffered.data.length) socket.unshift(buffered.data);
    return socket;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
