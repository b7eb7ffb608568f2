import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewsmirrorError } from '../../src/core/errors.ts';
import { silentReporter } from '../../src/core/log.ts';
import { sendTrigger } from '../../src/trigger/send.ts';
import { cli } from '../run/cli.ts';
import { createTriggerHandler } from '../../src/trigger/handler.ts';
import { createRebuildQueue } from '../../src/trigger/queue.ts';

const calls: string[][] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const queue = createRebuildQueue({ settleMs: 10, run: async (outlets) => (calls.push(outlets), { state: 'ok', detail: '' }) });
  const handler = createTriggerHandler({ secrets: (o) => (o === 'steppe-herald' ? 'steppe-secret-0123456789' : undefined), queue, reporter: silentReporter });
  server = createServer((req, res) => void handler(req, res).then((done) => done || res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const trigger = (args: string[], env: Record<string, string>) => cli(['trigger', ...args], env);

describe('newsmirror trigger', () => {
  it('signs with the secret from --secret-env and gets the rebuild queued (exit 0); a wrong secret exits 1 with the answer', async () => {
    const ok = await trigger(['--outlet', 'steppe-herald', '--url', url, '--secret-env', 'MY_SECRET'], { MY_SECRET: 'steppe-secret-0123456789' });
    expect([ok.code, ok.stderr]).toEqual([
      0,
      `${url}-/rebuild answered 202: {"accepted":true,"outlet":"steppe-herald","run":1,"state":"queued"}\nThe rebuild is queued; GET ${url}-/status shows its progress.\n`,
    ]);
    const bad = await trigger(['--outlet', 'steppe-herald', '--url', url], { NEWSMIRROR_TRIGGER_SECRET_STEPPE_HERALD: 'not-the-right-secret' });
    expect([bad.code, bad.stderr]).toEqual([1, `warning: ${url}-/rebuild answered 401: {"error":"invalid signature"}\n`]);
    const none = await trigger(['--outlet', 'steppe-herald', '--url', url], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no trigger secret for "steppe-herald": set NEWSMIRROR_TRIGGER_SECRET_STEPPE_HERALD, or put it in a secrets file');
    expect(calls).toEqual([['steppe-herald']]);
  });
});

describe('newsmirror trigger --url that is not an http(s) mirror address', () => {
  it('ftp:, file: or a URL with user:password: exit 2 before anything is sent', async () => {
    const urls = ['ftp://mirror.example/', 'file:///etc/passwd', 'http://user:pass@127.0.0.1:9/'];
    const results = await Promise.all(urls.map((u) => trigger(['--outlet', 'steppe-herald', '--url', u, '--json'], { NEWSMIRROR_TRIGGER_SECRET_STEPPE_HERALD: 'steppe-secret-0123456789' })));
    for (const [i, u] of urls.entries()) {
      const message = `--url must be the mirror's http(s) address without user or password, e.g. https://mirror.example:8080, not "${u}"`;
      expect([results[i]!.code, JSON.parse(results[i]!.stdout)]).toEqual([2, { error: { code: 'ERR_USAGE', message }, exit: 2 }]);
    }
  });
});

describe('sendTrigger against a server that accepts and never answers', () => {
  it('gives up after timeoutMs with ERR_TIMEOUT naming the URL, instead of hanging', async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      const error = await sendTrigger({ url: target, outlet: 'steppe-herald', secret: 'steppe-secret-0123456789', timeoutMs: 300, signal: new AbortController().signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NewsmirrorError);
      expect([(error as NewsmirrorError).code, (error as NewsmirrorError).message]).toEqual([
        'ERR_TIMEOUT',
        `${target}-/rebuild did not answer within 0.3 s; is \`newsmirror serve --trigger\` running there?`,
      ]);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
