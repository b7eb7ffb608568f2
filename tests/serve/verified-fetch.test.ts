/**
 * A real IPFS client, @helia/verified-fetch, fetches pages from `serve` by CID
 * over the trustless gateway and verifies every block itself.
 * Node 20: Helia 7 needs Promise.withResolvers (polyfilled here) and undici 7
 * (pinned by "overrides" in package.json). A no-op default router works
 * around Helia waiting forever when only fallback (gateway) routers exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/serve/index.ts';
import { siteFiles } from '../seal/site-fixture.ts';
import { sealedServer, type SealedServer } from './sealed-server.ts';

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: WithResolvers };
P.withResolvers ??= <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

let running: SealedServer;
let cid: string;
let server: RunningServer;
const requests: string[] = [];

beforeAll(async () => {
  running = await sealedServer([async (req) => {
    requests.push(`${req.url} ${req.headers.accept}`);
    return false;
  }]);
  ({ cid, server } = running);
});
afterAll(async () => {
  await running?.stop();
});

describe('@helia/verified-fetch against serve', () => {
  it('fetches and verifies a page and a 1.3 MB file by CID', async () => {
    const { createVerifiedFetch } = await import('@helia/verified-fetch');
    const { createHeliaLight } = await import('helia');
    const { withHTTP } = await import('@helia/http');
    const helia = withHTTP(createHeliaLight({}), { delegatedRouters: [], recursiveGateways: [server.url.slice(0, -1)], allowInsecure: true, allowLocal: true } as Parameters<typeof withHTTP>[1]);
    helia.addRouter({ name: 'none', async *findProviders() {} } as unknown as Parameters<typeof helia.addRouter>[0]);
    await helia.start();
    const verifiedFetch = await createVerifiedFetch(helia);
    try {
      const page = await verifiedFetch(`ipfs://${cid}/steppe-herald/2026/02/second.html`, { signal: AbortSignal.timeout(20_000) });
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(siteFiles()['steppe-herald/2026/02/second.html']);
      const photo = await verifiedFetch(`ipfs://${cid}/media/photo.bin`, { signal: AbortSignal.timeout(20_000) });
      expect(Buffer.compare(Buffer.from(await photo.arrayBuffer()), Buffer.from(siteFiles()['media/photo.bin']!))).toBe(0);
      // It really went through our trustless endpoint, block by block.
      expect(requests).toContain(`/ipfs/${cid}?format=raw application/vnd.ipld.raw`);
    } finally {
      await verifiedFetch.stop();
      await helia.stop();
    }
  });
});
