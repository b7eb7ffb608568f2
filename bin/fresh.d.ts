/** Types of bin/fresh.js (plain JS, run before any TypeScript loader). */
export function buildIsFresh(root: string): boolean;
