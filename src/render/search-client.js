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
  try {
    pagefind = await import('./pagefind/pagefind.js');
    // Pagefind splits the index by language and loads the one of this page: add the others.
    const entry = await (await fetch('pagefind/pagefind-entry.json')).json();
    const languages = entry.languages;
    const own = document.documentElement.lang;
    const primary = languages[own] ? own : Object.keys(languages).sort((x, y) => languages[y].page_count - languages[x].page_count)[0];
    const base = new URL('pagefind/', location.href).href;
    for (const lang of Object.keys(languages)) if (lang !== primary) await pagefind.mergeIndex(base, { language: lang });
    await pagefind.init();
  } catch {
    status.textContent = status.dataset.failed;
    return;
  }
  note.hidden = true;
  form.hidden = false;
  status.textContent = '';
  let results = [];
  let shown = 0;
  let run = 0;

  async function show() {
    const mine = run;
    const next = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
    if (mine !== run) return;
    for (const data of next) list.appendChild(item(data));
    shown += next.length;
    more.hidden = shown >= results.length;
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
    if (!q) {
      status.textContent = '';
      return;
    }
    const found = await pagefind.search(q, outlet ? { filters: { outlet } } : {});
    if (mine !== run) return;
    results = found.results;
    await show();
    if (mine !== run) return;
    // Said last, once the results are on the page (screen readers hear it from role="status").
    status.textContent = results.length ? `${status.dataset.found} ${results.length}` : status.dataset.none;
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
