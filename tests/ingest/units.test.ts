// Pure steps one by one: dates, charsets, parsing edge cases, identity, the sanitizer.
import { describe, expect, it } from 'vitest';
import { sanitizeArticleHtml } from '../../src/core/sanitize.ts';
import { parseFeedDate, resolveDate } from '../../src/ingest/dates.ts';
import { declaredCharset, decodeBody, headerCharset } from '../../src/ingest/decode.ts';
import { assignIds, articleId } from '../../src/ingest/identity.ts';
import { parseFeed } from '../../src/ingest/parse/index.ts';
import { IngestError } from '../../src/ingest/errors.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { FIXTURES } from '../helpers/feed-server.ts';
import { htmlToText, capText } from '../../src/ingest/text.ts';
import { normalizeItem } from '../../src/ingest/normalize.ts';
import { parseRetryAfter } from '../../src/ingest/fetch.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const OUTLET = { id: 'x', name: 'X', homepage: 'https://x.example/', lang: 'ru', feeds: ['https://x.example/feed'], fulltext: false, enabled: true };
/** Elements and attributes a browser would act on: scripts, handlers, non-web URLs, anything loaded. */
function dangerous(html: string): string[] {
  const found: string[] = [];
  for (const el of DomUtils.findAll(() => true, parseDocument(html).children)) {
    if (!['p', 'a', 'b', 'strong', 'em', 'i', 'h2', 'h3', 'ul', 'ol', 'li', 'figure', 'figcaption', 'blockquote', 'div', 'span', 'br'].includes(el.name)) found.push(`<${el.name}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (name.startsWith('on') || name === 'style' || name === 'src' || name === 'srcset') found.push(`${el.name}[${name}]`);
      if (name === 'href' && !/^(https?:|mailto:)/.test(value)) found.push(`${el.name}[href=${value}]`);
    }
  }
  return found;
}

const iso = (raw: string) => parseFeedDate(raw)?.toISOString();

describe('dates', () => {
  it('parses RFC 822 with numeric and named zones, ISO 8601 and W3C-DTF, to UTC', () => {
    expect(iso('Wed, 05 Jan 2022 13:45:00 +0600')).toBe('2022-01-05T07:45:00.000Z');
    expect(iso('5 Jan 2022 13:45 MSK')).toBe('2022-01-05T10:45:00.000Z');
    expect(iso('Wed, 05 Jan 22 13:45:00 GMT')).toBe('2022-01-05T13:45:00.000Z');
    expect(iso('2022-01-06T09:00:00+06:00')).toBe('2022-01-06T03:00:00.000Z');
    expect(iso('2022-01-06T09:00:00.250+0600')).toBe('2022-01-06T03:00:00.000Z');
    expect(iso('2022-01-06')).toBe('2022-01-06T00:00:00.000Z');
    expect(iso('вчера вечером')).toBeUndefined();
    expect(iso('Thu, 01 Jan 1970 00:00:00 GMT')).toBeUndefined();
  });

  it('missing, unparseable and future dates become the fetch time, with a note', () => {
    const fetched = new Date('2024-06-01T00:00:00Z');
    expect(resolveDate(undefined, fetched, fetched)).toEqual({ date: '2024-06-01T00:00:00Z', note: 'missing' });
    expect(resolveDate('soon', fetched, fetched)).toEqual({ date: '2024-06-01T00:00:00Z', note: 'unparseable: soon' });
    expect(resolveDate('2024-06-02T23:00:00Z', fetched, fetched)).toEqual({ date: '2024-06-01T00:00:00Z', note: 'future: 2024-06-02T23:00:00Z' });
    expect(resolveDate('2024-06-01T20:00:00Z', fetched, fetched)).toEqual({ date: '2024-06-01T20:00:00Z' });
  });
});

describe('Retry-After', () => {
  it('takes seconds or an HTTP date, never in the past, never more than a day', () => {
    const now = new Date('2024-06-01T00:00:00Z');
    expect(parseRetryAfter('120', now)?.toISOString()).toBe('2024-06-01T00:02:00.000Z');
    expect(parseRetryAfter('Sat, 01 Jun 2024 01:00:00 GMT', now)?.toISOString()).toBe('2024-06-01T01:00:00.000Z');
    expect(parseRetryAfter('Fri, 31 May 2024 01:00:00 GMT', now)?.toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(parseRetryAfter('999999999', now)?.toISOString()).toBe('2024-06-02T00:00:00.000Z');
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('charsets', () => {
  it('header, then prolog, then BOM, then UTF-8', () => {
    expect(headerCharset('text/xml; charset="KOI8-R"')).toBe('koi8-r');
    expect(headerCharset('application/xml')).toBeUndefined();
    expect(declaredCharset(Buffer.from(`<?xml version="1.0" encoding='windows-1251'?><rss/>`))).toBe('windows-1251');
    const koi8 = Buffer.from([0xf7, 0xc5, 0xd3, 0xd4, 0xce, 0xc9, 0xcb]); // "Вестник"
    expect(decodeBody(koi8, 'text/plain; charset=koi8-r')).toBe('Вестник');
    expect(decodeBody(Buffer.from('\ufeff«Ёж» №1 — да'), undefined)).toBe('«Ёж» №1 — да');
    expect(decodeBody(Buffer.from('ok'), 'text/xml; charset=no-such-charset')).toBe('ok');
    // A server that claims UTF-8 for a windows-1251 document: the document's own declaration wins.
    const cp1251 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1251"?><t>'), Buffer.from([0xc0, 0xea, 0xf2, 0xe0, 0xf1, 0x20, 0xb9]), Buffer.from('</t>')]);
    expect(decodeBody(cp1251, 'application/xml; charset=UTF-8')).toBe('<?xml version="1.0" encoding="windows-1251"?><t>Актас №</t>');
    expect(decodeBody(Buffer.from('<?xml version="1.0" encoding="windows-1251"?><t>Актас</t>'), 'text/xml; charset=utf-8')).toBe('<?xml version="1.0" encoding="windows-1251"?><t>Актас</t>');
  });
});

describe('parsing', () => {
  const code = (body: string) => {
    try {
      parseFeed(body, 'https://x.example/feed');
    } catch (error) {
      return (error as IngestError).code;
    }
    return 'parsed';
  };

  it('names each way a body is not a usable feed', () => {
    expect(code('<html><body>blocked</body></html>')).toBe('ERR_NOT_A_FEED');
    expect(code('Service Unavailable')).toBe('ERR_NOT_A_FEED');
    expect(code('<?xml version="1.0"?><opml><body/></opml>')).toBe('ERR_NOT_A_FEED');
    expect(code('<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title></channel></rss>')).toBe('ERR_UNSAFE_XML');
    expect(code('{"version":"https://jsonfeed.org/version/1.1","items":[]')).toBe('ERR_BAD_FEED');
    expect(code('{"hello":"world"}')).toBe('ERR_UNSUPPORTED_FORMAT');
    expect(code('<rss version="0.91"><channel><title>Old</title></channel></rss>')).toBe('parsed');
  });

  it('never throws anything but an IngestError, however a fixture is cut or mangled', () => {
    const dir = join(FIXTURES, 'feeds');
    let parsed = 0;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (let i = 1; i <= 40; i++) {
        const cut = Math.floor((text.length * i) / 41);
        for (const variant of [text.slice(0, cut), text.slice(cut), `${text.slice(0, cut)}<![CDATA[${text.slice(cut)}`, text.slice(0, cut) + text.slice(cut + 7)]) {
          try {
            const feed = parseFeed(variant, file);
            parsed++;
            for (const item of feed.items) {
              const draft = normalizeItem(item, { outlet: OUTLET, feedUrl: 'https://x.example/feed', feed, fetched: NOW, now: NOW });
              expect(draft.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
              expect(dangerous(sanitizeArticleHtml(draft.html, { baseUrl: draft.baseUrl })), `${file} at ${cut}`).toEqual([]);
            }
          } catch (error) {
            expect(error, `${file} at ${cut}`).toBeInstanceOf(IngestError);
          }
        }
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });

  it('leaves unknown entities as text and never resolves anything', () => {
    const feed = parseFeed('<rss><channel><item><title>A &amp; B &#8212; &unknown;</title></item></channel></rss>', 'u');
    expect(feed.items[0]?.title?.value).toBe('A & B — &unknown;');
  });

  it('turns markup in titles into text', () => {
    expect(htmlToText('Интернет: <em>VPN</em> &laquo;ок&raquo;<script>x()</script>')).toBe('Интернет: VPN «ок»');
    expect(capText('one two three four', 10)).toBe('one two…');
  });
});

describe('identity', () => {
  it('guid → link → title+date, scoped by outlet; duplicates get distinct stable ids', () => {
    const items = [
      { identity: 'guid:dup', url: 'https://a.example/1', title: 'One' },
      { identity: 'guid:dup', url: 'https://a.example/2', title: 'Two' },
      { identity: 'guid:solo', url: 'https://a.example/3', title: 'Three' },
    ];
    const ids = assignIds('steppe', items);
    expect(ids[2]).toBe(articleId('steppe', 'guid:solo'));
    expect(ids[2]).toMatch(/^steppe\/[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(3);
    expect(assignIds('steppe', [items[1]!, items[0]!])).toEqual([ids[1], ids[0]]);
    expect(assignIds('other', items)[2]).not.toBe(ids[2]);
  });
});

describe('sanitizeArticleHtml', () => {
  it('keeps text and safe markup, resolves relative URLs, turns remote images into links', () => {
    expect(sanitizeArticleHtml('<h1>Т</h1><p class="x" style="color:red">«А» <a href="/b" target="_blank" onclick="x()">б</a></p>', { baseUrl: 'https://o.example/news/1' })).toBe(
      '<h2>Т</h2><p>«А» <a href="https://o.example/b" rel="nofollow noopener noreferrer">б</a></p>',
    );
    expect(sanitizeArticleHtml('<img src="https://cdn.example/a.jpg" alt="Фото" srcset="https://cdn.example/b.jpg 2x">')).toBe(
      '<a href="https://cdn.example/a.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Фото]</a>',
    );
    expect(sanitizeArticleHtml('<img src="/local.png" alt="x">')).toBe('<img src="/local.png" alt="x" />');
    expect(sanitizeArticleHtml('a<img src="https://t.example/p.gif" width="1" height="1">b<img src="data:image/png;base64,AA">c')).toBe('abc');
    expect(sanitizeArticleHtml('<a href="//evil.example/x">x</a><a href="mailto:ed@o.example">m</a>')).toBe('<a>x</a><a href="mailto:ed@o.example">m</a>');
  });

  it('survives a remote image whose file name has a malformed %-escape (regression: threw "URI malformed")', () => {
    expect(sanitizeArticleHtml('<p>x <img src="http://evil.example/%E0%A4.png"> y</p>')).toBe(
      '<p>x <a href="http://evil.example/%E0%A4.png" rel="nofollow noopener noreferrer" class="remote-image">[%E0%A4.png]</a> y</p>',
    );
  });

  it('is idempotent, so render can run it again', () => {
    const once = sanitizeArticleHtml('<p>x <img src="/a.jpg" alt="A"> <a href="b">b</a></p>', { baseUrl: 'https://o.example/' });
    expect(sanitizeArticleHtml(once)).toBe(once);
  });
});
