/* global document, location, history, fetch, URL, URLSearchParams */
// search.js: the only script of the site, loaded by search.html alone (a classic deferred
// script, not a module: from file:// a module would be refused with an error, this one just stops). It runs Pagefind
// (pagefind/pagefind.js, beside it) on this copy's own index: every path is relative
// to this file, so it works at a domain root, under a subpath and under /ipfs/<cid>/.
// Without it (JavaScript off, file://) the page keeps its note and the title index.
const $ = (id) => document.getElementById(id);
const form = $('sf');
const note = $('sn');
const status = $('ss');
const list = $('sr');
const more = $('sm');
const PAGE = 20;
/** Up to this many results, each is checked against Pagefind's per-shard fallback (see keepBest) before the count is said. */
const CHECK = 100;

/** Pagefind excerpts are escaped text with <mark> around matches: rebuild them as text nodes, never as HTML. */
function excerpt(html) {
  const p = document.createElement('p');
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const m = /^<mark>(.*)<\/mark>$/.exec(part);
    if (m) p.appendChild(document.createElement('mark')).textContent = decode(m[1]);
    else if (part) p.appendChild(document.createTextNode(decode(part)));
  });
  p.dir = 'auto';
  return p;
}

/** Letters and digits of a word, lower case (a marked word may carry punctuation). */
const bare = (w) => w.toLocaleLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

function common(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Pagefind, in an index with no word starting with a query word, falls back to the longest
 * indexed word the query word starts with («ко» for «кооперативов»). One index per shard
 * makes that happen in every shard without the word, which a single index would not do.
 * (its marked word is then a form of that piece: «коых»). So a result is dropped when, for
 * some query word, its marked words share at most half of it while other results share more
 * (a real match shares the stem: all but a short ending).
 */
function keepBest(datas, query) {
  const words = query.split(/\s+/).map(bare).filter(Boolean);
  const marks = datas.map((d) => [...d.excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => bare(m[1])).filter(Boolean));
  const reach = (ms, w) => Math.max(0, ...ms.map((m) => common(m, w)));
  const best = words.map((w) => Math.max(0, ...marks.map((ms) => reach(ms, w))));
  return datas.filter((_, i) => !words.some((w, j) => {
    const r = reach(marks[i], w);
    return r > 0 && r < best[j] && r * 2 <= w.length;
  }));
}

function item(data) {
  const li = document.createElement('li');
  if (data.meta.lang && data.meta.lang !== document.documentElement.lang) li.lang = data.meta.lang;
  const a = li.appendChild(document.createElement('h2')).appendChild(document.createElement('a'));
  a.href = data.url;
  a.textContent = data.meta.title || data.url;
  a.dir = 'auto';
  const meta = li.appendChild(document.createElement('p'));
  meta.className = 'm';
  meta.lang = document.documentElement.lang;
  meta.textContent = [(data.filters.outlet || [])[0], data.meta.date].filter(Boolean).join(' · ');
  li.appendChild(excerpt(data.excerpt));
  return li;
}

async function start() {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
  status.textContent = status.dataset.loading;
  let pagefind;
  let placeholder;
  try {
    pagefind = await import('./pagefind/pagefind.js');
    // The index is one Pagefind bundle per month of the newest year and per earlier year
    // (pagefind/<yyyy>-<mm>/, pagefind/<yyyy>/, newest first in shards.json), each split by language; pagefind/ itself holds the one script, worker and
    // WebAssembly they share and a placeholder page. Tags let the browser cache what did not change.
    const index = await (await fetch('pagefind/shards.json')).json();
    placeholder = index.placeholder;
    await pagefind.options({ metaCacheTag: index.tag });
    const base = new URL('pagefind/', location.href).href;
    await Promise.all(index.shards.flatMap((shard) => Object.keys(shard.languages).map((language) => pagefind.mergeIndex(`${base}${shard.key}/`, { language, metaCacheTag: shard.languages[language] }))));
    await pagefind.init();
  } catch {
    status.textContent = status.dataset.failed;
    return;
  }
  note.hidden = true;
  form.hidden = false;
  status.textContent = '';
  let results = [];
  let checked = null;
  let shown = 0;
  let run = 0;

  async function show() {
    const mine = run;
    const next = checked ? checked.slice(shown, shown + PAGE) : await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
    if (mine !== run) return;
    for (const data of next) list.appendChild(item(data));
    shown += next.length;
    more.hidden = shown >= (checked || results).length;
  }

  async function search() {
    const mine = ++run;
    const q = $('q').value.trim();
    const outlet = $('so').value;
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (outlet) params.set('outlet', outlet);
    history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
    list.textContent = '';
    status.textContent = '';
    more.hidden = true;
    shown = 0;
    checked = null;
    if (!q) {
      status.textContent = '';
      return;
    }
    const found = await pagefind.search(q, outlet ? { filters: { outlet } } : {});
    if (mine !== run) return;
    results = found.results.filter((r) => r.id !== placeholder);
    if (results.length <= CHECK) {
      const datas = await Promise.all(results.map((r) => r.data()));
      if (mine !== run) return;
      checked = keepBest(datas, q);
    }
    await show();
    if (mine !== run) return;
    // Said last, once the results are on the page (screen readers hear it from role="status").
    const count = (checked || results).length;
    status.textContent = count ? `${status.dataset.found} ${count}` : status.dataset.none;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  more.querySelector('button').addEventListener('click', () => show());
  const params = new URLSearchParams(location.search);
  $('q').value = params.get('q') || '';
  $('so').value = params.get('outlet') || '';
  if ($('q').value) search();
}

start();
