/** What every feed-format parser returns: the feed as written, before normalization. */

export type FeedFormat = 'rss2' | 'rdf' | 'atom' | 'json';

/** Text as the feed gave it: `html` text is markup, `text` is plain. */
export interface FeedText {
  value: string;
  type: 'text' | 'html';
}

export interface RawItem {
  guid?: string;
  link?: string;
  title?: FeedText;
  /** Published, as written (RFC 822, ISO 8601, or anything). */
  published?: string;
  /** Last modified, as written. */
  updated?: string;
  authors: string[];
  categories: string[];
  /** The full body, if the feed carries one. */
  content?: FeedText;
  /** A description or summary. */
  summary?: FeedText;
  lang?: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  /** The site's link (the base for relative item links), if any. */
  link?: string;
  lang?: string;
  items: RawItem[];
  /** Items that could not be read (the others are kept): where, and why. */
  badItems?: BadItem[];
}

/** An item a parser gave up on: its 1-based position in the feed, its link if one was readable, the reason. */
export interface BadItem {
  position: number;
  link?: string;
  reason: string;
}
