/**
 * Safe file names from titles: Kazakh and Russian letters transliterated to ASCII,
 * lowercase, dashes, capped, never "." / ".." / a reserved device name / "index".
 */

// Russian: a common passport-style (ICAO 9303-like) scheme; Kazakh letters: the 2021 Latin alphabet, diacritics dropped.
const MAP: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
  ә: 'a', ғ: 'g', қ: 'q', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i',
  // Ukrainian/Belarusian letters that turn up in the region's feeds
  є: 'ie', ї: 'i', ў: 'u', ґ: 'g',
};

export const SLUG_MAX = 80;

const RESERVED = new Set([
  'con', 'prn', 'aux', 'nul', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9', 'index', 'feed', 'page', 'tags',
]);

export function transliterate(value: string): string {
  let out = '';
  for (const ch of value.toLowerCase()) out += MAP[ch] ?? ch;
  // Latin letters with diacritics → base letters; everything else non-ASCII goes.
  return out.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** A slug for a title; `fallback` (ASCII, e.g. "article-0f3a9c2b") when nothing usable is left. */
export function slugify(title: string, fallback: string): string {
  let slug = transliterate(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > SLUG_MAX) {
    const cut = slug.slice(0, SLUG_MAX);
    const dash = cut.lastIndexOf('-');
    slug = (dash > SLUG_MAX / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
  }
  if (!slug || RESERVED.has(slug)) return slug ? `${slug}-${fallback.replace(/^article-/, '')}` : fallback;
  return slug;
}
