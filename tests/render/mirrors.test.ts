/** Which copies a reader is shown: private addresses never, a stable choice on every article, the Other copies page in words, its QR code. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { renderToJson } from '../../src/render/index.ts';
import { chosenCopies, copyLabel, ipfsCid, isPrivateUrl, reachOf, type MirrorEntry } from '../../src/render/mirrors.ts';
import { countOf, formatDuration, formatSize, STRINGS } from '../../src/render/i18n.ts';
import { qrPath } from '../../src/render/qr.ts';
import { makeProject } from './fixtures.ts';

const CID = 'bafybeigga2x5usp444mniiq3s5wsduzj3kp2bxcebqna2i7puozecpvcpq';
const ONION = 'http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/';

function entry(name: string, url: string, status: MirrorEntry['status'], kind = 'dir'): MirrorEntry {
  return { name, kind, url, status, checked: status === 'unknown' ? null : '2026-01-06T12:00:00Z' };
}

describe('isPrivateUrl', () => {
  it('refuses loopback, private, link-local and local-only addresses (and non-URLs), keeps public ones', () => {
    const local = ['http://127.0.0.1:8080/', 'http://localhost/', 'http://a.localhost/', 'http://[::1]:8080/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://172.31.255.1/', 'http://192.168.1.20:8080/', 'http://169.254.1.1/', 'http://100.64.0.1/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://printer.local/', 'http://nas.lan/', 'http://box.home.arpa/', 'not a url'];
    const open = ['https://cdn.mirror.example/', 'http://172.32.0.1/', 'http://192.169.1.1/', 'http://100.128.0.1/', 'http://8.8.8.8/', ONION, `https://gw.example/ipfs/${CID}/`];
    expect(local.filter((u) => !isPrivateUrl(u))).toEqual([]);
    expect(open.filter((u) => isPrivateUrl(u))).toEqual([]);
  });
});

describe('chosenCopies (the notice on every article and the footer)', () => {
  const web1 = entry('a', 'https://one.example/', 'fresh');
  const web2 = entry('b', 'https://two.example/', 'fresh');
  const web3 = entry('c', 'https://three.example/', 'stale');
  const ipfs = entry('d', `https://gw.example/ipfs/${CID}/`, 'fresh', 'ipfs');
  const onion = entry('e', ONION, 'stale', 'onion');

  it('takes up to 3, in registry order, one on IPFS or Tor when there is one', () => {
    expect(chosenCopies([web1, web2, web3, ipfs, onion]).map((m) => m.name)).toEqual(['a', 'b', 'd']);
    expect(chosenCopies([web1, web2, web3]).map((m) => m.name)).toEqual(['a', 'b', 'c']);
    expect(chosenCopies([onion, web1]).map((m) => m.name)).toEqual(['e', 'a']);
  });

  it('does not change when a copy turns stale, fresh, down or back (a health check must not re-render every article)', () => {
    const before = chosenCopies([web1, web2, web3, ipfs, onion]);
    const after = chosenCopies([{ ...web1, status: 'stale' }, { ...web2, status: 'stale' }, { ...web3, status: 'fresh' }, { ...ipfs, status: 'stale' }, { ...onion, status: 'fresh' }]);
    expect(after.map((m) => m.name)).toEqual(before.map((m) => m.name));
    const down = chosenCopies([{ ...web1, status: 'down' }, { ...web2, status: 'unknown' }, web3, { ...ipfs, status: 'down' }, onion]);
    expect(down.map((m) => m.name)).toEqual(['a', 'b', 'd']);
  });

  it('never offers a tampered copy, a private address or someone else\'s external copy; down and unchecked ones stay', () => {
    expect(chosenCopies([{ ...web1, status: 'down' }, web2, web3, ipfs]).map((m) => m.name)).toEqual(['a', 'b', 'd']);
    expect(chosenCopies([{ ...web1, status: 'tampered' }, { ...web2, status: 'unknown' }, entry('l', 'http://192.168.0.5/', 'fresh'), web3]).map((m) => m.name)).toEqual(['b', 'c']);
    expect(chosenCopies([{ ...web1, external: true }, web2]).map((m) => m.name)).toEqual(['b']);
  });

  it('labels copies by host, IPFS by gateway, onions shortened', () => {
    expect(copyLabel(web1)).toBe('one.example');
    expect(copyLabel(ipfs)).toBe('gw.example (IPFS)');
    expect(copyLabel({ kind: 'ipfs', url: `https://${CID}.ipfs.dweb.link/` })).toBe('ipfs.dweb.link (IPFS)');
    expect(copyLabel(onion)).toBe('abcdefghijkl….onion (Tor)');
    expect([reachOf(web1), reachOf(ipfs), reachOf(onion)]).toEqual(['web', 'ipfs', 'onion']);
    expect(ipfsCid(`https://${CID}.ipfs.dweb.link/`)).toBe(CID);
  });
});

describe('words', () => {
  it('counts articles and durations with the right plural forms', () => {
    expect([1, 2, 5, 11, 21, 22, 112].map((n) => countOf(n, STRINGS.ru.articlesCount, 'ru'))).toEqual(['1 статья', '2 статьи', '5 статей', '11 статей', '21 статья', '22 статьи', '112 статей']);
    expect([1, 2].map((n) => countOf(n, STRINGS.en.articlesCount, 'en'))).toEqual(['1 article', '2 articles']);
    expect(countOf(5, STRINGS.kk.articlesCount, 'kk')).toBe('5 мақала');
    expect([30_000, 2 * 3600_000, 47 * 3600_000, 3 * 86400_000].map((ms) => formatDuration(ms, 'ru'))).toEqual(['1 минуту', '2 часа', '47 часов', '3 дня']);
    expect(formatDuration(2 * 3600_000, 'en')).toBe('2 hours');
    expect(formatDuration(2 * 3600_000, 'kk')).toBe('2 сағат');
    expect([formatSize(850_400, 'en'), formatSize(2_345_678, 'ru'), formatSize(12, 'kk')]).toEqual(['850 kB', '2,3 МБ', '1 КБ']);
  });
});

describe('the Other copies page', () => {
  const tmp: string[] = [];
  afterAll(async () => {
    for (const dir of tmp) await rm(dir, { recursive: true, force: true });
  });

  async function render(mirrors: Record<string, string>, health: unknown[], extra?: (root: string) => Promise<void>): Promise<Map<string, string>> {
    const root = await mkdtemp(join(tmpdir(), 'newsmirror-copies-'));
    tmp.push(root);
    await makeProject(root, { articles: 1, words: 20, lang: 'en', mirrors });
    await mkdir(join(root, '.newsmirror'), { recursive: true });
    await writeFile(join(root, '.newsmirror', 'health.json'), JSON.stringify(health));
    await extra?.(root);
    const out = `${join(root, '_site')}/`;
    return new Map((await renderToJson(root)).map((p) => [String(p.outputPath).replace(out, ''), p.content]));
  }

  it('groups copies by how to reach them, with their last check in words, the bundles without sizes (a size on the page would change every build; dist/ is not an input) and a QR code of the list', async () => {
    const pages = await render(
      {
        'a.yaml': 'name: a\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/a\n',
        'b.yaml': 'name: b\ntype: ipfs\ngateway: https://gw.example/\n',
        'c.yaml': `name: c\ntype: onion\nserves: a\nout: /tmp/x\nhostname: ${new URL(ONION).hostname}\n`,
        'l.yaml': 'name: l\ntype: dir\nurl: http://10.0.0.7/\npath: /srv/l\n',
      },
      [
        { name: 'a', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z' },
        { name: 'b', url: `https://gw.example/ipfs/${CID}/`, kind: 'ipfs', status: 'stale', checked: '2026-01-06T09:40:00Z' },
        { name: 'l', url: 'http://10.0.0.7/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z' },
      ],
      async (root) => {
        await mkdir(join(root, 'dist'));
        await writeFile(join(root, 'dist', 'site.zip'), Buffer.alloc(2_345_678));
        await writeFile(join(root, 'dist', 'site.car'), Buffer.alloc(850_400));
      },
    );
    const html = pages.get('mirrors.html')!;
    const main = html.slice(html.indexOf('<main>'), html.indexOf('<h2>Pass this list on</h2>'));
    expect(main).toBe(
      '<main><h1>Other copies of this site</h1><p>The same site, signed with the same key, can be reached in these ways. If one is blocked, try another. Save this page: it works offline too.</p>' +
        '<p class="m">Status at the last check, 6 January 2026, 12:00 UTC:</p>' +
        '<h2>On the web</h2><ul class="k"><li><a href="https://cdn.mirror.example/">https://cdn.mirror.example/</a><br><span class="m">checked then: up to date</span></li></ul>' +
        '<h2>On IPFS</h2><p>IPFS finds the site by its content address (CID), from any gateway or an IPFS app. A gateway may show an earlier version.</p>' +
        `<ul class="k"><li><p>CID: <code>${CID}</code></p><p>Gateways:</p><ul><li><a href="https://gw.example/ipfs/${CID}/">gw.example</a></li><li><a href="https://ipfs.io/ipfs/${CID}/">ipfs.io</a></li><li><a href="https://dweb.link/ipfs/${CID}/">dweb.link</a></li></ul>` +
        `<p>In an IPFS app or Brave: <a href="ipfs://${CID}/">ipfs://${CID}/</a></p><p class="m">checked 2 hours earlier: behind</p></li></ul>` +
        '<h2>Through Tor</h2><p>Open this address in Tor Browser (torproject.org); it works when the web addresses are blocked.</p>' +
        `<ul class="k"><li><a href="${ONION}">${ONION}</a><br><span class="m">not checked yet</span></li></ul>` +
        '<h2>Offline</h2><p>Every copy carries the whole site as one file. Download it once, read it without internet, and pass it on by USB stick or messenger.</p>' +
        '<ul class="k"><li><a href="site.zip">site.zip</a>: unzip it and open index.html in any browser.</li><li><a href="site.car">site.car</a>: the same site for IPFS: ipfs dag import site.car, or npx newsmirror serve site.car.</li></ul>' +
        '<p class="m"><a href="release.json">Exact sizes and SHA-256 of the current files: release.json.</a></p>',
    );
    expect(html).not.toContain('10.0.0.7');
    // The QR code holds exactly the page's list of copies, one a line.
    const d = /<svg class="qr" [^>]*viewBox="0 0 (\d+) \1"[^>]*><rect [^>]*\/><path fill="#000" d="([^"]+)"\/><\/svg>/.exec(html);
    const expected = qrPath(`https://cdn.mirror.example/\nhttps://gw.example/ipfs/${CID}/\n${ONION}`);
    expect(d?.[2]).toBe(expected.path);
    expect(Number(d?.[1])).toBe(QRCode.create(`https://cdn.mirror.example/\nhttps://gw.example/ipfs/${CID}/\n${ONION}`, { errorCorrectionLevel: 'M' }).modules.size + 8);
    expect(html).toContain('<h2 id="host">Host a copy</h2>');
  });

  it('says so when there are no other copies yet, and how to become one', async () => {
    const pages = await render({ 'local.yaml': 'name: local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: .newsmirror/public\n' }, []);
    const html = pages.get('mirrors.html')!;
    expect(html).toContain('<p><strong>No other copies are listed yet. Until there are, download the site and keep it.</strong></p><h2>Offline</h2>');
    expect(html).toContain('<ul class="k"><li><a href="site.zip">site.zip</a>: unzip it');
    expect(html).toContain('<h2 id="host">Host a copy</h2><p>Anyone can host a copy without the signing key');
    expect(html).toContain('<pre>npx newsmirror clone &lt;URL&gt; my-copy\nnpx newsmirror serve my-copy</pre>');
    expect(html).not.toContain('class="qr"');
    expect(html).not.toContain('127.0.0.1');
    expect(pages.get('index.html')).toContain('<footer><p>Other copies of this site: <a href="mirrors.html">all copies</a></p>');
  });
});
