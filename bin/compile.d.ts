/** Types of bin/compile.js (plain JS, run by `npm ci` before any TypeScript loader). */
export function rewriteImports(code: string): string;
