import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reporter } from '../../src/core/log.ts';
import { createTriggerHandler } from '../../src/trigger/handler.ts';
import { createRebuildQueue, type RunOutcome } from '../../src/trigger/queue.ts';
import { signBody } from '../../src/trigger/signature.ts';

const SECRETS: Record<string, string> = { 'steppe-herald': 'steppe-secret-0123456789', 'almaty-daily': 'almaty-secret-0123456789', 'kz-voice': 'kzvoice-secret-012345678' };
const NOW_MS = 1_790_000_000_000;
const NOW = NOW_MS / 1000;

interface Harness {
  url: string;
  calls: string[][];
  warnings: string[];
  release: () => void;
  queue: ReturnType<typeof createRebuildQueue>;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real HTTP server on 127.0.0.1 with the trigger handler and an injected pipeline that waits for `release()`. */
async function start(options: { block?: boolean; limit?: number; settleMs?: number; bodyTimeoutMs?: number } = {}): Promise<Harness> {
  const calls: string[][] = [];
  const warnings: string[] = [];
  let gate: (() => void) | undefined;
  const reporter: Reporter = { info() {}, progress() {}, warn: (line) => warnings.push(line) };
  const queue = createRebuildQueue({
    settleMs: options.settleMs ?? 100,
    run: async (outlets): Promise<RunOutcome> => {
      calls.push(outlets);
      if (options.block) await new Promise<void>((resolve) => (gate = resolve));
      return { state: 'ok', detail: `rebuilt ${outlets.join(', ')}` };
    },
  });
  const handler = createTriggerHandler({
    secrets: (outlet) => SECRETS[outlet],
    queue,
    reporter,
    now: () => NOW_MS,
    rateLimit: { limit: options.limit ?? 6, windowMs: 60_000 },
    ...(options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
  });
  server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('static');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, calls, warnings, queue, release: () => gate?.() };
}

function signed(outlet: string, secret: string | undefined, timestamp = NOW): RequestInit {
  const body = JSON.stringify({ outlet, timestamp });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) headers['x-newsmirror-signature'] = signBody(body, secret);
  return { method: 'POST', body, headers };
}

async function post(h: Harness, init: RequestInit): Promise<[number, string]> {
  const res = await fetch(`${h.url}/-/rebuild`, init);
  return [res.status, await res.text()];
}

describe('POST /-/rebuild', () => {
  it('rejects missing, wrong, foreign-outlet and unknown-outlet signatures, and logs each reason', async () => {
    const h = await start();
    expect(await post(h, signed('steppe-herald', undefined))).toEqual([401, '{"error":"missing signature"}\n']);
    expect(await post(h, signed('steppe-herald', 'wrong-secret-0123456789'))).toEqual([401, '{"error":"invalid signature"}\n']);
    expect(await post(h, signed('steppe-herald', SECRETS['almaty-daily']))).toEqual([401, '{"error":"invalid signature"}\n']);
    expect(await post(h, signed('no-such-outlet', 'anything-0123456789'))).toEqual([401, '{"error":"invalid signature"}\n']);
    expect(h.warnings).toEqual([
      'trigger rejected (401) from 127.0.0.1: no x-newsmirror-signature header',
      `trigger rejected (401) from 127.0.0.1: signature does not match outlet "steppe-herald"'s secret`,
      `trigger rejected (401) from 127.0.0.1: signature does not match outlet "steppe-herald"'s secret`,
      'trigger rejected (401) from 127.0.0.1: unknown outlet "no-such-outlet" (no trigger secret)',
    ]);
    expect(h.calls).toEqual([]);
  });

  it('rejects a replay: an old timestamp, and the same signed request sent twice', async () => {
    const h = await start();
    expect(await post(h, signed('steppe-herald', SECRETS['steppe-herald'], NOW - 301))).toEqual([401, '{"error":"timestamp outside the allowed window"}\n']);
    expect(await post(h, signed('steppe-herald', SECRETS['steppe-herald'], NOW + 61))).toEqual([401, '{"error":"timestamp outside the allowed window"}\n']);
    const once = signed('steppe-herald', SECRETS['steppe-herald'], NOW - 5);
    expect((await post(h, once))[0]).toBe(202);
    expect(await post(h, once)).toEqual([401, '{"error":"timestamp outside the allowed window"}\n']);
    expect(h.warnings).toEqual([
      `trigger rejected (401) from 127.0.0.1: timestamp ${NOW - 301} is 301 s old (replay?)`,
      `trigger rejected (401) from 127.0.0.1: timestamp ${NOW + 61} is 61 s in the future`,
      'trigger rejected (401) from 127.0.0.1: replayed request for outlet "steppe-herald" (this exact signature was already accepted)',
    ]);
  });

  it('replay with the hex in uppercase: still the same signed request, refused', async () => {
    const h = await start();
    const once = signed('steppe-herald', SECRETS['steppe-herald'], NOW - 5);
    expect((await post(h, once))[0]).toBe(202);
    const headers = once.headers as Record<string, string>;
    const upper = { ...once, headers: { ...headers, 'x-newsmirror-signature': `sha256=${headers['x-newsmirror-signature']!.slice(7).toUpperCase()}` } };
    expect(await post(h, upper)).toEqual([401, '{"error":"timestamp outside the allowed window"}\n']);
    expect(h.warnings).toEqual(['trigger rejected (401) from 127.0.0.1: replayed request for outlet "steppe-herald" (this exact signature was already accepted)']);
  });

  it('slowloris: a chunked body that never ends gets 408 and its connection closed once bodyTimeoutMs passes; others are served meanwhile', async () => {
    const h = await start({ bodyTimeoutMs: 500 });
    const { port } = new URL(h.url);
    // 100 connections that each send headers and one byte of a chunked body, then nothing more.
    const slow = Array.from({ length: 100 }, () =>
      new Promise<string>((resolve) => {
        let answer = '';
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /-/rebuild HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nx-newsmirror-signature: sha256=${'0'.repeat(64)}\r\n\r\n1\r\n{\r\n`);
        });
        socket.on('data', (d) => (answer += d));
        socket.on('close', () => resolve(answer.split('\r\n')[0]!));
      }),
    );
    // While they hang, a signed request from another client is answered.
    expect((await post(h, signed('almaty-daily', SECRETS['almaty-daily'])))[0]).toBe(202);
    expect(new Set(await Promise.all(slow))).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
    expect(h.warnings).toEqual(Array(100).fill('trigger rejected (408) from 127.0.0.1: body not complete within 0.5 s'));
  });

  it('rejects an oversized body with 413 before reading it all', async () => {
    const h = await start();
    const body = JSON.stringify({ outlet: 'steppe-herald', timestamp: NOW, pad: 'x'.repeat(5000) });
    const res = await fetch(`${h.url}/-/rebuild`, { method: 'POST', body, headers: { 'x-newsmirror-signature': signBody(body, SECRETS['steppe-herald']!) } });
    expect([res.status, await res.text()]).toEqual([413, '{"error":"body too large"}\n']);
    // Chunked, with no Content-Length: cut off as soon as it passes the cap.
    const chunks = Array.from({ length: 3 }, () => new TextEncoder().encode('x'.repeat(2000)));
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
    const chunked = await fetch(`${h.url}/-/rebuild`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect([chunked.status, await chunked.text()]).toEqual([413, '{"error":"body too large"}\n']);
    expect(h.warnings).toEqual(Array(2).fill('trigger rejected (413) from 127.0.0.1: body over 4096 bytes'));
  });

  it('answers 429 with Retry-After once an outlet is over 6 a minute; other outlets are not affected', async () => {
    const h = await start();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`${h.url}/-/rebuild`, signed('steppe-herald', SECRETS['steppe-herald'], NOW - i))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
    expect(results.filter((r) => r.status === 429).map((r) => r.headers.get('retry-after'))).toEqual(['60', '60']);
    expect((await post(h, signed('almaty-daily', SECRETS['almaty-daily'])))[0]).toBe(202);
    expect(h.warnings).toEqual(Array(2).fill('trigger rejected (429) from 127.0.0.1: outlet "steppe-herald" is over its rate limit'));
  });

  it('runs exactly one rebuild for ten triggers arriving together', async () => {
    // Triggers within settleMs of the first share one run.
    const h = await start({ settleMs: 1000 });
    const outlets = ['steppe-herald', 'almaty-daily'];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(h, signed(outlets[i % 2]!, SECRETS[outlets[i % 2]!], NOW - i))),
    );
    expect(results.map(([s]) => s)).toEqual(Array(10).fill(202));
    expect(new Set(results.map(([, b]) => JSON.parse(b).run))).toEqual(new Set([1]));
    await h.queue.idle();
    expect(h.calls).toEqual([['almaty-daily', 'steppe-herald']]);
    expect(h.queue.status().recent.map((r) => [r.run, r.requests, r.state])).toEqual([[1, 10, 'ok']]);
  });

  it('coalesces triggers that arrive during a run into exactly one follow-up run', async () => {
    const h = await start({ block: true });
    expect((await post(h, signed('steppe-herald', SECRETS['steppe-herald'])))[0]).toBe(202);
    while (h.calls.length === 0) await new Promise((r) => setTimeout(r, 20));
    // Run 1 is going: these ten all join run 2.
    const during = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const outlet = ['steppe-herald', 'almaty-daily', 'kz-voice'][i % 3]!;
        return post(h, signed(outlet, SECRETS[outlet], NOW - 10 - i));
      }),
    );
    expect(during.map(([s, b]) => [s, JSON.parse(b).run, JSON.parse(b).state])).toEqual(Array(10).fill([202, 2, 'queued']));
    const status = await (await fetch(`${h.url}/-/status`)).json();
    expect([status.running.run, status.running.outlets, status.queued.run, status.queued.outlets, status.queued.requests]).toEqual([1, ['steppe-herald'], 2, ['almaty-daily', 'kz-voice', 'steppe-herald'], 10]);
    h.release();
    while (h.calls.length < 2) await new Promise((r) => setTimeout(r, 20));
    h.release();
    await h.queue.idle();
    expect(h.calls).toEqual([['steppe-herald'], ['almaty-daily', 'kz-voice', 'steppe-herald']]);
  });
});

describe('GET /-/status', () => {
  it('lists the last runs without any secret', async () => {
    const h = await start();
    await post(h, signed('kz-voice', SECRETS['kz-voice']));
    await h.queue.idle();
    const res = await fetch(`${h.url}/-/status`);
    const text = await res.text();
    const status = JSON.parse(text);
    expect([res.status, status.running, status.queued]).toEqual([200, null, null]);
    expect(status.recent.map((r: Record<string, unknown>) => [r.run, r.outlets, r.requests, r.state, r.detail])).toEqual([[1, ['kz-voice'], 1, 'ok', 'rebuilt kz-voice']]);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  it('leaves other paths to the static server and refuses GET on /-/rebuild', async () => {
    const h = await start();
    expect(await (await fetch(`${h.url}/index.html`)).text()).toBe('static');
    const res = await fetch(`${h.url}/-/rebuild`);
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
