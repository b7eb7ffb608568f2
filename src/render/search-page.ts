/** The search page's script name and its Content-Security-Policy: the site's, plus its own script, Pagefind's worker and WebAssembly, and fetches from this copy only. */

export const SEARCH_SCRIPT = 'search.js';

/**
 * The site's CSP (default-src 'none', no script) widened for the search page
 * only: scripts and the worker from this copy, WebAssembly compilation, and
 * fetch() of the index from this copy. Nothing from any other origin.
 */
export function searchCsp(siteCsp: string): string {
  return siteCsp.replace("default-src 'none';", "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self';");
}
