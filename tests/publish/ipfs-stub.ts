/**
 * A local stand-in for two published HTTP APIs: Kubo RPC `POST /api/v0/dag/import`
 * (multipart CAR upload; NDJSON answer) and the IPFS Pinning Service API
 * (`/pins`, Bearer auth, PinStatus objects). The CAR is really parsed
 * (@ipld/car), every block's hash checked, and the root must be present; a pin
 * only succeeds for content that was imported (as a pinning service can only
 * pin what it can fetch).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { CarReader } from '@ipld/car';

export interface PinStatus {
  requestid: string;
  status: 'queued' | 'pinning' | 'pinned' | 'failed';
  created: string;
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
  delegates: string[];
  info?: Record<string, string>;
}

export interface IpfsStub {
  url: string;
  imported: Set<string>;
  pins: Map<string, PinStatus>;
  requests: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startIpfsStub(token: string): Promise<IpfsStub> {
  const imported = new Set<string>();
  const pins = new Map<string, PinStatus>();
  const polls = new Map<string, number>();
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push(`${req.method} ${url.pathname}`);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    const fail = (status: number, reason: string, details: string) => json(status, { error: { reason, details } });
    if (url.pathname === '/api/v0/dag/import') {
      if (req.method !== 'POST') return json(405, { Message: 'method not allowed', Code: 0, Type: 'error' });
      try {
        const form = await new Request('http://stub/', { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(await body(req)) }).formData();
        const file = form.get('file');
        if (!(file instanceof Blob)) return json(400, { Message: 'file argument "path" is required', Code: 1, Type: 'error' });
        const reader = await CarReader.fromBytes(new Uint8Array(await file.arrayBuffer()));
        for await (const block of reader.blocks()) {
          const digest = createHash('sha256').update(block.bytes).digest();
          if (block.cid.multihash.code !== 0x12 || !digest.equals(Buffer.from(block.cid.multihash.digest))) throw new Error(`block ${block.cid} does not match its hash`);
        }
        const roots = await reader.getRoots();
        const lines: string[] = [];
        for (const root of roots) {
          const present = await reader.has(root);
          if (present) imported.add(root.toString());
          lines.push(JSON.stringify({ Root: { Cid: { '/': root.toString() }, PinErrorMsg: present ? '' : `block was not found locally (offline): ipld: could not find ${root}` } }));
        }
        if (url.searchParams.get('stats') === 'true') lines.push(JSON.stringify({ Stats: { BlockCount: 0, BlockBytesCount: file.size } }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(`${lines.join('\n')}\n`);
      } catch (error) {
        json(500, { Message: `import failed: ${(error as Error).message}`, Code: 0, Type: 'error' });
      }
      return;
    }
    if (!url.pathname.startsWith('/pins')) return fail(404, 'NOT_FOUND', 'no such endpoint');
    if (req.headers.authorization !== `Bearer ${token}`) return fail(401, 'UNAUTHORIZED', 'Invalid access token');
    const id = url.pathname.split('/')[2];
    const advance = (pin: PinStatus) => {
      // queued → pinning → pinned (or failed when the content was never imported).
      const n = (polls.get(pin.requestid) ?? 0) + 1;
      polls.set(pin.requestid, n);
      if (pin.status === 'queued') pin.status = 'pinning';
      else if (pin.status === 'pinning') {
        pin.status = imported.has(pin.pin.cid) ? 'pinned' : 'failed';
        if (pin.status === 'failed') pin.info = { status_details: `could not find ${pin.pin.cid} on the network` };
      }
      return pin;
    };
    const create = async (): Promise<PinStatus | undefined> => {
      const input = JSON.parse((await body(req)).toString() || '{}') as PinStatus['pin'];
      if (typeof input.cid !== 'string' || !input.cid) return undefined;
      return { requestid: randomUUID(), status: 'queued', created: new Date().toISOString(), pin: input, delegates: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWStub'] };
    };
    if (req.method === 'GET' && !id) {
      const cids = url.searchParams.get('cid')?.split(',');
      const statuses = (url.searchParams.get('status') ?? 'pinned').split(',');
      const results = [...pins.values()].filter((p) => (!cids || cids.includes(p.pin.cid)) && statuses.includes(p.status));
      return json(200, { count: results.length, results });
    }
    if (req.method === 'POST' && !id) {
      const pin = await create();
      if (!pin) return fail(400, 'BAD_REQUEST', 'cid is required');
      pins.set(pin.requestid, pin);
      return json(202, pin);
    }
    const existing = id ? pins.get(id) : undefined;
    if (!existing) return fail(404, 'NOT_FOUND', 'The specified resource was not found');
    if (req.method === 'GET') return json(200, advance(existing));
    if (req.method === 'POST') {
      const pin = await create();
      if (!pin) return fail(400, 'BAD_REQUEST', 'cid is required');
      pins.delete(existing.requestid);
      pins.set(pin.requestid, pin);
      return json(202, pin);
    }
    if (req.method === 'DELETE') {
      pins.delete(existing.requestid);
      return res.writeHead(202).end();
    }
    return fail(405, 'METHOD_NOT_ALLOWED', req.method ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, imported, pins, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
