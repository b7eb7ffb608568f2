// Pure parts of publish and check: backoff, release naming, sampling, SOCKS address parsing, mime, and the shipped mirror examples.
import { describe, expect, it } from 'vitest';
import { loadMirrors } from '../../src/core/config.ts';
import { isSafeSitePath, uploadOrder } from '../../src/publish/build.ts';
import { contentType } from '../../src/core/mime.ts';
import { cacheControl } from '../../src/core/cache-control.ts';
import { backoffDelay, withRetries } from '../../src/publish/retry.ts';
import { releaseName, rsyncStat, sortReleases } from '../../src/publish/rsync.ts';
import { normalizePrefix } from '../../src/publish/s3.ts';
import { resolveRepo } from '../../src/publish/git.ts';
import { formatHealth, mirrorBaseUrl, sampleFiles } from '../../src/mirrors/assess.ts';
import { pathUrl } from '../../src/remote/index.ts';
import { parseProxy } from '../../src/remote/socks.ts';

describe('publish units', () => {
  it('backoff doubles from the base with ±20 % jitter, capped at a minute', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 1000, () => 0.5))).toEqual([1000, 2000, 4000]);
    expect(backoffDelay(1, 1000, () => 0)).toBe(800);
    expect(backoffDelay(20, 1000, () => 1)).toBe(72_000);
  });

  it('retries retryable failures, stops at once on others, and times out a hung attempt', async () => {
    let calls = 0;
    await expect(withRetries(async () => {
      calls++;
      if (calls < 3) throw new Error('flaky');
      return 'done';
    }, { retries: 2, timeoutMs: 1000, baseDelayMs: 1, label: 't' })).resolves.toBe('done');
    calls = 0;
    await expect(withRetries(async () => {
      calls++;
      throw new Error('fatal');
    }, { retries: 5, timeoutMs: 1000, baseDelayMs: 1, label: 't', retryable: () => false })).rejects.toThrow('fatal');
    expect(calls).toBe(1);
    await expect(withRetries(() => new Promise(() => {}), { retries: 0, timeoutMs: 50, baseDelayMs: 1, label: 'mirror "slow"' })).rejects.toThrow('mirror "slow" took longer than 0.05 s (timeout); raise "timeout" in its mirror file if the host is just slow');
  });

  it('rsync release names never reuse the live folder; old ones sort numerically', () => {
    expect(releaseName(100, undefined, [])).toBe('100');
    expect(releaseName(100, '99', ['99'])).toBe('100');
    expect(releaseName(100, '100', ['99', '100'])).toBe('100-2');
    expect(releaseName(100, '100-2', ['100', '100-2'])).toBe('100-3');
    expect(sortReleases(['100-2', '99', 'notes', '100', '1000'])).toEqual(['99', '100', '100-2', '1000']);
    expect(rsyncStat('Number of regular files transferred: 1,234\nTotal transferred file size: 56,789 bytes', 'Total transferred file size')).toBe(56789);
  });

  it('paths, order, prefixes, repos, types', () => {
    expect(['a/b.html', '../x', 'a//b', '/etc/passwd', 'a\\b', 'ok\nno', './a'].map(isSafeSitePath)).toEqual([true, false, false, false, false, false, false]);
    const f = (path: string) => ({ path, abs: path, size: 0, sha256: '' });
    expect(uploadOrder(['manifest.json', 'a.html', 'index.html', 'manifest.sig', 'z.css'].map(f)).map((x) => x.path)).toEqual(['a.html', 'z.css', 'index.html', 'manifest.sig', 'manifest.json']);
    expect(['', '/', 'site', '/site/', 'a/b/'].map(normalizePrefix)).toEqual(['', '', 'site/', 'site/', 'a/b/']);
    expect(resolveRepo('/p', 'https://github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(resolveRepo('/p', 'git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
    expect(resolveRepo('/p', '../remote.git')).toBe('/remote.git');
    expect([contentType('a/b.HTML'), contentType('feed.xml'), contentType('x.unknown'), cacheControl('manifest.sig'), cacheControl('a.png')]).toEqual(['text/html; charset=utf-8', 'application/xml; charset=utf-8', 'application/octet-stream', 'no-cache', 'public, max-age=3600']);
  });
});

describe('check units', () => {
  const files = ['a.html', 'b.html', 'c.html', 'index.html', 'd.html'].map((path) => ({ path, size: 1, sha256: 'x' }));

  it('samples index.html plus N files drawn at random', () => {
    expect(sampleFiles(files, 2, () => 0).map((f) => f.path)).toEqual(['index.html', 'a.html', 'b.html']);
    expect(sampleFiles(files, 99).length).toBe(5);
  });

  it('mirror URLs: config url, gateway + CID, onion hostname; unknown otherwise', () => {
    const base = { enabled: true, timeout: 300, retries: 2, retryDelay: 5 };
    expect(mirrorBaseUrl({ ...base, name: 'd', type: 'dir', path: 'x', url: 'https://m.example/news' }, undefined)).toEqual({ url: 'https://m.example/news/' });
    expect(mirrorBaseUrl({ ...base, name: 'i', type: 'ipfs', gateway: 'https://gw.example/' }, 'bafyx')).toEqual({ url: 'https://gw.example/ipfs/bafyx/' });
    expect(mirrorBaseUrl({ ...base, name: 'i', type: 'ipfs', gateway: 'https://gw.example/' }, undefined)).toEqual({ unknown: 'no CID published yet (run `newsmirror publish`)' });
    expect(mirrorBaseUrl({ ...base, name: 'o', type: 'onion', serves: 'd', out: 'o', port: 8081, hostname: `${'a'.repeat(56)}.onion` }, undefined)).toEqual({ url: `http://${'a'.repeat(56)}.onion/` });
    expect(pathUrl('https://m.example/news/', 'kk/2026/01/тест файл.html')).toBe('https://m.example/news/kk/2026/01/%D1%82%D0%B5%D1%81%D1%82%20%D1%84%D0%B0%D0%B9%D0%BB.html');
  });

  it('prints the health table', () => {
    expect(formatHealth([
      { name: 'local', kind: 'dir', status: 'fresh', checked: '2026-01-01T00:00:00.000Z', url: 'http://127.0.0.1:8080/', version: 17, detail: 'signature and sampled files ok' },
      { name: 'onion', kind: 'onion', status: 'unknown', checked: '2026-01-01T00:00:00.000Z', url: '', detail: 'no --socks' },
    ])).toBe([
      'MIRROR  KIND   STATUS   VERSION  URL                     DETAIL',
      'local   dir    fresh    17       http://127.0.0.1:8080/  signature and sampled files ok',
      'onion   onion  unknown  -        -                       no --socks',
    ].join('\n'));
  });

  it('parses --socks', () => {
    expect(parseProxy('127.0.0.1:9050')).toEqual({ host: '127.0.0.1', port: 9050 });
    expect(parseProxy('[::1]:9150')).toEqual({ host: '::1', port: 9150 });
    expect(() => parseProxy('9050')).toThrow('--socks "9050" is not HOST:PORT, e.g. 127.0.0.1:9050 (tor\'s SOCKS port)');
  });
});

describe('shipped mirrors/ examples', () => {
  it('all validate; only the local dir target is enabled', async () => {
    const mirrors = await loadMirrors(process.cwd());
    expect(mirrors.map((m) => [m.name, m.type, m.enabled])).toEqual([
      ['bucket', 's3', false], ['github-pages', 'git', false], ['ipfs', 'ipfs', false], ['local', 'dir', true], ['onion', 'onion', false], ['server', 'rsync', false],
    ]);
  });
});
