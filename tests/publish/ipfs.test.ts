// publish to IPFS: Kubo dag/import of dist/site.car and the Pinning Service API (a local server built to both specs).
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHealth } from '../../src/core/health.ts';
import { loadPublishState, publish } from '../../src/publish/index.ts';
import { startIpfsStub, type IpfsStub } from './ipfs-stub.ts';
import { buildSite, makeProject, newKey, range, write } from './helpers.ts';

const key = newKey();
const env = { PIN_TOKEN: 'secret-token' };
let root: string;
let stub: IpfsStub;

beforeAll(async () => {
  root = await makeProject(key);
  stub = await startIpfsStub('secret-token');
  await write(join(root, 'mirrors/ipfs.yaml'), `name: ipfs\ntype: ipfs\napi: ${stub.url}\npinning:\n  endpoint: ${stub.url}\n  tokenEnv: PIN_TOKEN\ngateway: https://gw.example/\ndnslink: news.example.org\nretries: 0\n`);
});
afterAll(async () => {
  await stub.close();
  await rm(root, { recursive: true, force: true });
});

describe('publish to ipfs', () => {
  it('imports the CAR, pins the root, prints the DNSLink value and records the gateway URL for the next render', async () => {
    const report = await buildSite(root, key, { articles: range(0, 3), built: '2026-04-01T00:00:00Z' });
    const lines: string[] = [];
    const reporter = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l), progress() {} };
    const [result] = await publish({ root, env, reporter });
    const car = await readFile(join(root, 'dist/site.car'));
    expect(result).toMatchObject({ target: 'ipfs', status: 'ok', files: 1, bytes: car.length, url: `https://gw.example/ipfs/${report.cid}/` });
    expect(lines).toContain(`ipfs: DNSLink _dnslink.news.example.org TXT "dnslink=/ipfs/${report.cid}"`);
    expect([...stub.imported]).toEqual([report.cid]);
    expect([...stub.pins.values()].map((p) => [p.pin.cid, p.status, p.pin.name])).toEqual([[report.cid, 'pinned', `newsmirror-ipfs-${report.version}`]]);
    const state = await loadPublishState(root);
    expect(state.ipfs).toMatchObject({ type: 'ipfs', version: report.version, cid: report.cid, url: `https://gw.example/ipfs/${report.cid}/`, requestid: [...stub.pins.keys()][0] });
    expect(await loadHealth(root)).toEqual([expect.objectContaining({ name: 'ipfs', kind: 'ipfs', status: 'unknown', url: `https://gw.example/ipfs/${report.cid}/`, version: report.version })]);
  });

  it('a new build replaces the previous pin instead of adding one', async () => {
    const oldId = [...stub.pins.keys()][0];
    const report = await buildSite(root, key, { articles: range(0, 4), built: '2026-04-02T00:00:00Z' });
    const [result] = await publish({ root, env });
    expect(result?.status).toBe('ok');
    expect(stub.requests).toContain(`POST /pins/${oldId}`);
    expect([...stub.pins.values()].map((p) => [p.pin.cid, p.status])).toEqual([[report.cid, 'pinned']]);
  });

  it('reports a pin the service could not complete, and a bad token without retrying', async () => {
    await write(join(root, 'mirrors/ipfs.yaml'), `name: ipfs\ntype: ipfs\npinning:\n  endpoint: ${stub.url}\n  tokenEnv: PIN_TOKEN\nretries: 0\n`);
    stub.imported.clear();
    await buildSite(root, key, { articles: range(0, 5), built: '2026-04-03T00:00:00Z' });
    const cid = (await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim();
    const [failed] = await publish({ root, env });
    expect(failed).toMatchObject({ status: 'failed', reason: `mirror "ipfs": the pinning service reports ${cid} as failed (could not find ${cid} on the network)` });
    const [denied] = await publish({ root, env: { PIN_TOKEN: 'wrong' } });
    expect(denied?.reason).toBe(`mirror "ipfs": pinning service GET /pins (${stub.url}/pins?cid=${cid}&status=queued,pinning,pinned) answered HTTP 401: UNAUTHORIZED: Invalid access token (check the token named by the mirror file)`);
  });

  it('a host that accepts but never answers hits the timeout, is retried with backoff, then reported', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    await write(join(root, 'mirrors/ipfs.yaml'), `name: ipfs\ntype: ipfs\napi: http://127.0.0.1:${port}/\ntimeout: 0.3\nretries: 1\nretryDelay: 0.01\n`);
    const warnings: string[] = [];
    const [result] = await publish({ root, env, reporter: { info() {}, progress() {}, warn: (l) => warnings.push(l) } });
    expect(result).toMatchObject({ status: 'failed', reason: 'mirror "ipfs" (ipfs) took longer than 0.3 s (timeout); raise "timeout" in its mirror file if the host is just slow' });
    expect(warnings[0]).toMatch(/^ipfs: attempt 1 of 2 failed \(mirror "ipfs" \(ipfs\) took longer than 0\.3 s/);
    expect(warnings[1]).toBe('ipfs (ipfs) failed: mirror "ipfs" (ipfs) took longer than 0.3 s (timeout); raise "timeout" in its mirror file if the host is just slow');
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('an interrupted publish stops at once and says so', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const [result] = await publish({ root, env, signal: controller.signal });
    expect(result).toMatchObject({ status: 'failed', reason: 'interrupted' });
  });
});
