/** Feed dates (RFC 822 with numeric or named zones, ISO 8601, W3C-DTF) to UTC, and the policy for bad ones. */
import { isoUtc } from '../core/article.ts';

const ZONES: Record<string, string> = {
  UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000',
  EST: '-0500', EDT: '-0400', CST: '-0600', CDT: '-0500', MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700',
  MSK: '+0300', ALMT: '+0600', QYZT: '+0600', AQTT: '+0500', ORAT: '+0500', CET: '+0100', CEST: '+0200', EET: '+0200', EEST: '+0300',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Parse a date as feeds write it; undefined when it is not a date (or not plausibly one). */
export function parseFeedDate(raw: string): Date | undefined {
  const value = raw.trim();
  let time = Number.NaN;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  const rfc = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?$/.exec(value);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', , zone] = iso;
    const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  } else if (rfc) {
    const [, d, mon, y, h, mi, s = '00', zone = 'GMT'] = rfc;
    const month = MONTHS.indexOf((mon ?? '').toLowerCase());
    const year = Number(y) < 100 ? 2000 + Number(y) : Number(y);
    const offset = /^[+-]\d{4}$/.test(zone) ? zone : ZONES[zone.toUpperCase()];
    if (month >= 0 && offset) {
      const sign = offset.startsWith('-') ? -1 : 1;
      const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
      time = Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(s)) - minutes * 60_000;
    }
  } else {
    time = Date.parse(value);
  }
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  // Before the web had feeds: an epoch default or a garbage field, not a publication date.
  return date.getUTCFullYear() < 1991 ? undefined : date;
}

export interface ResolvedDate {
  date: string;
  /** Why `date` is not the feed's: "missing", "unparseable: <raw>", "future: <raw>". */
  note?: string;
}

/** The publication date policy: missing or unparseable → fetch time; beyond now + 1 day → fetch time. Never 1970. */
export function resolveDate(raw: string | undefined, fetched: Date, now: Date): ResolvedDate {
  if (!raw) return { date: isoUtc(fetched), note: 'missing' };
  const parsed = parseFeedDate(raw);
  const shown = raw.slice(0, 100);
  if (!parsed) return { date: isoUtc(fetched), note: `unparseable: ${shown}` };
  if (parsed.getTime() > now.getTime() + 86_400_000) return { date: isoUtc(fetched), note: `future: ${shown}` };
  return { date: isoUtc(parsed) };
}
