/**
 * Identity: guid → link → title+date, scoped by outlet; id = "<outlet>/<16 hex of sha256>".
 * Items that share a key inside one feed (duplicate guids) are told apart by link and
 * title, deterministically, so each keeps its own stable file whatever the feed order.
 */
import { sha256Hex } from '../core/hash.ts';

export function articleId(outlet: string, key: string): string {
  return `${outlet}/${sha256Hex(key).slice(0, 16)}`;
}

/** Ids for the items of one feed, in order; duplicates of a key get distinct ids, the same ones every run. */
export function assignIds(outlet: string, items: { identity: string; url: string; title: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.identity, (counts.get(item.identity) ?? 0) + 1);
  // Exact copies (same key, link and title) get one id: one article listed twice; the orchestrator keeps the first.
  return items.map((item) =>
    articleId(outlet, counts.get(item.identity) === 1 ? item.identity : `${item.identity}\n${item.url}\n${item.title}`),
  );
}
