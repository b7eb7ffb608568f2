/** What every feed-format parser returns: the feed as written, before normalization. */

export type FeedFormat = 'rss2' | 'rdf' | 'atom' | 'json';

/** Text as the feed gave it: `html` text is markup, `text` is plain. */
export interface FeedText {
  value: string;
  type: 'text' | 'html';
  /** The xml:base in force where the text was written (Atom): links inside it resolve against it. */
  base?: string;
}

/** A media file attached to an item (RSS <enclosure>, Atom rel="enclosure"). */
export interface Enclosure {
  url: string;
  /** The MIME type: the file extension's when the declared one is missing, generic or contradicts it. */
  type?: string;
  /** Bytes, when the feed gives a real length (`length="0"` means unknown). */
  length?: number;
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
  enclosures?: Enclosure[];
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  /** The channel's description / Atom subtitle, as text. */
  description?: string;
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
