/**
 * Rebuild trigger and run lock: how fast requests are checked (pure), answered
 * over HTTP (a flood of bad signatures), and how fast the lock is taken and freed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../src/core/lock.ts';
import { silentReporter } from '../src/core/log.ts';
import { createRebuildQueue, createTriggerHandler, signBody, verifyTrigger } from '../src/trigger/index.ts';

const secret = 'bench-secret-0123456789abcdef';
const now = Math.floor(Date.now() / 1000);
const body = Buffer.from(JSON.stringify({ outlet: 'steppe-herald', timestamp: now }));
const signature = signBody(body, secret);

let t = performance.now();
const N = 100_000;
for (let i = 0; i < N; i++) verifyTrigger({ body, signature, secretFor: () => secret, now });
console.log(`verifyTrigger (valid): ${Math.round(N / ((performance.now() - t) / 1000))} checks/s`);
t = performance.now();
for (let i = 0; i < N; i++) verifyTrigger({ body, signature, secretFor: () => undefined, now });
console.log(`verifyTrigger (unknown outlet, dummy HMAC): ${Math.round(N / ((performance.now() - t) / 1000))} checks/s`);

const queue = createRebuildQueue({ run: async () => ({ state: 'ok', detail: '' }) });
const handler = createTriggerHandler({ secrets: () => secret, queue, reporter: silentReporter });
const server = createServer((req, res) => void handler(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/-/rebuild`;
const bad = { method: 'POST', body, headers: { 'x-newsmirror-signature': signBody(body, 'wrong') } };
const M = 3000;
t = performance.now();
for (let i = 0; i < M; i += 50) await Promise.all(Array.from({ length: 50 }, () => fetch(url, bad).then((r) => r.text())));
console.log(`HTTP rejections (bad signature, 50 in flight): ${Math.round(M / ((performance.now() - t) / 1000))} requests/s`);
server.close();

const dir = await mkdtemp(join(tmpdir(), 'nm-bench-lock-'));
const L = 2000;
t = performance.now();
for (let i = 0; i < L; i++) await (await acquireLock(join(dir, 'run.lock'))).release();
console.log(`lock acquire+release: ${Math.round(L / ((performance.now() - t) / 1000))} per second`);
await rm(dir, { recursive: true, force: true });
console.log(`peak RSS: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
