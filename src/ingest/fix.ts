/**
 * `outlets check --fix`: confirmed feed replacements written into outlets.yaml with the yaml
 * Document API, so comments, order, quoting and flow style stay as the maintainer wrote them.
 * Pure: text in, text out (the command reads, writes and shows the diff).
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.ts';

/** Whether a YAML node is the scalar `value`. */
const is = (node: unknown, value: string): boolean => isScalar(node) && (node.value as unknown) === value;

export interface FeedReplacement {
  outlet: string;
  /** The feed URL as written in outlets.yaml. */
  from: string;
  /** The confirmed feed to write instead. */
  to: string;
}

/**
 * outlets.yaml with each replacement applied to its outlet's `feeds` (a feed already listed is
 * not written twice: the old URL is then removed). Replacements whose outlet or URL is not
 * there are left out of `applied`.
 */
export function replaceFeeds(text: string, replacements: FeedReplacement[], label = 'content/_data/outlets.yaml'): { text: string; applied: FeedReplacement[] } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) throw new ConfigError(`${label} is not valid YAML: ${doc.errors[0]?.message}`);
  const list = doc.contents;
  if (!isSeq(list)) throw new ConfigError(`${label}: expected a list of outlets`);
  const applied: FeedReplacement[] = [];
  for (const replacement of replacements) {
    const entry = list.items.find((item) => {
      const id = isMap(item) ? item.get('id', true) : undefined;
      return is(id, replacement.outlet);
    });
    const feeds = isMap(entry) ? entry.get('feeds', true) : undefined;
    if (!isSeq(feeds)) continue;
    const at = feeds.items.findIndex((node) => is(node, replacement.from));
    const node = feeds.items[at];
    if (!isScalar(node)) continue;
    if (feeds.items.some((other) => is(other, replacement.to))) feeds.items.splice(at, 1);
    else node.value = replacement.to;
    applied.push(replacement);
  }
  return { text: applied.length ? doc.toString({ lineWidth: 0, flowCollectionPadding: false }) : text, applied };
}
