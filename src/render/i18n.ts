/** Interface strings of the mirror in Kazakh, Russian and English, and date formatting without Intl (same bytes everywhere). */
export type UiLang = 'kk' | 'ru' | 'en';

export interface Strings {
  home: string;
  archive: string;
  feeds: string;
  about: string;
  mirrors: string;
  verify: string;
  outlets: string;
  latest: string;
  by: string;
  updated: string;
  tags: string;
  correction: string;
  dateNote: string;
  /** Explanations of front matter dateNote kinds (ingest writes "missing", "unparseable: <raw>", "future: <raw>"). */
  dateNotes: { missing: string; unparseable: string; future: string };
  original: string;
  mayBeBlocked: string;
  mirroredAt: string;
  page: string;
  newer: string;
  older: string;
  articles: string;
  noArticles: string;
  moreInArchive: string;
  otherMirrors: string;
  allMirrors: string;
  mirrorsIntro: string;
  mirrorName: string;
  kind: string;
  status: string;
  lastCheck: string;
  never: string;
  statuses: Record<'fresh' | 'stale' | 'down' | 'tampered' | 'unknown', string>;
  feedsIntro: string;
  allOutlets: string;
  opml: string;
  aboutTitle: string;
  aboutWhat: string;
  aboutWhose: string;
  aboutTrust: string;
  verifyTitle: string;
  verifyIntro: string;
  publicKey: string;
  noKey: string;
  verifyTool: string;
  verifyOpenssl: string;
  verifyFiles: string;
  months: string[];
  monthsOf: string[];
}

const en: Strings = {
  home: 'Home',
  archive: 'Archive',
  feeds: 'Feeds',
  about: 'About',
  mirrors: 'Mirrors',
  verify: 'Verify',
  outlets: 'Outlets',
  latest: 'Latest',
  by: 'By',
  updated: 'updated',
  tags: 'Tags',
  correction: 'Correction',
  dateNote: 'Date note',
  dateNotes: { missing: 'the feed gave no date; this is when it was mirrored', unparseable: 'the feed’s date could not be read', future: 'the feed’s date was in the future' },
  original: 'Original',
  mayBeBlocked: 'may be blocked where you are',
  mirroredAt: 'mirrored',
  page: 'page',
  newer: 'Newer',
  older: 'Older',
  articles: 'articles',
  noArticles: 'No articles yet.',
  moreInArchive: 'Older articles are in the archive',
  otherMirrors: 'Other copies of this site',
  allMirrors: 'all mirrors',
  mirrorsIntro: 'The same site, signed with the same key, is published at these addresses. If one is blocked, try another; a copy saved to disk works too.',
  mirrorName: 'Mirror',
  kind: 'Kind',
  status: 'Status',
  lastCheck: 'Last check',
  never: 'never',
  statuses: { fresh: 'up to date', stale: 'behind', down: 'unreachable', tampered: 'altered — do not trust', unknown: 'not checked' },
  feedsIntro: 'Follow this mirror in any feed reader. The feeds come from the mirror itself, so they keep working when the outlets’ own sites are blocked.',
  allOutlets: 'All outlets',
  opml: 'All feeds as OPML (import into a feed reader)',
  aboutTitle: 'About this mirror',
  aboutWhat: 'This is a mirror: a copy of independent news outlets’ reporting, kept readable when their own sites are blocked, throttled or switched off. It loads nothing from other servers, sets no cookies, runs no scripts and does not track you.',
  aboutWhose: 'The reporting belongs to the outlets below. The mirror copies their public feeds and links every article to its original.',
  aboutTrust: 'Every copy of this site is signed. To check that the copy you are reading is authentic and unaltered, see',
  verifyTitle: 'Check a copy is authentic',
  verifyIntro: 'Each build lists every file with its SHA-256 hash in manifest.json and signs that list with an Ed25519 key (manifest.sig). Compare the public key below with the one the outlet publishes elsewhere, then check the copy.',
  publicKey: 'Public key',
  noKey: 'No public key is configured for this site yet.',
  verifyTool: 'With newsmirror (a folder, a .car, a .zip or a URL):',
  verifyOpenssl: 'With OpenSSL only: save the key below as key.pem, then, in the folder of the copy:',
  verifyFiles: 'Then compare each file’s hash with its entry in manifest.json:',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  monthsOf: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const ru: Strings = {
  home: 'Главная',
  archive: 'Архив',
  feeds: 'Ленты',
  about: 'О зеркале',
  mirrors: 'Зеркала',
  verify: 'Проверка',
  outlets: 'Издания',
  latest: 'Последнее',
  by: 'Автор:',
  updated: 'обновлено',
  tags: 'Теги',
  correction: 'Исправление',
  dateNote: 'О дате',
  dateNotes: { missing: 'в ленте не было даты; указано время копирования', unparseable: 'дату из ленты не удалось прочитать', future: 'дата в ленте была в будущем' },
  original: 'Оригинал',
  mayBeBlocked: 'может быть заблокирован у вас',
  mirroredAt: 'скопировано',
  page: 'страница',
  newer: 'Новее',
  older: 'Старее',
  articles: 'статей',
  noArticles: 'Статей пока нет.',
  moreInArchive: 'Более старые статьи — в архиве',
  otherMirrors: 'Другие копии сайта',
  allMirrors: 'все зеркала',
  mirrorsIntro: 'Этот же сайт, подписанный тем же ключом, опубликован по этим адресам. Если один заблокирован, откройте другой; копия на диске тоже работает.',
  mirrorName: 'Зеркало',
  kind: 'Тип',
  status: 'Состояние',
  lastCheck: 'Проверено',
  never: 'никогда',
  statuses: { fresh: 'актуально', stale: 'отстаёт', down: 'недоступно', tampered: 'изменено — не доверяйте', unknown: 'не проверялось' },
  feedsIntro: 'Читайте зеркало в любой программе для лент. Ленты отдаёт само зеркало, поэтому они работают, даже когда сайты изданий заблокированы.',
  allOutlets: 'Все издания',
  opml: 'Все ленты в OPML (для импорта в программу чтения)',
  aboutTitle: 'О зеркале',
  aboutWhat: 'Это зеркало: копия материалов независимых изданий, доступная, когда их сайты заблокированы, замедлены или отключены. Оно ничего не загружает с других серверов, не ставит cookie, не запускает скрипты и не следит за вами.',
  aboutWhose: 'Материалы принадлежат изданиям ниже. Зеркало копирует их открытые ленты, и у каждой статьи есть ссылка на оригинал.',
  aboutTrust: 'Каждая копия сайта подписана. Как убедиться, что вы читаете подлинную и неизменённую копию:',
  verifyTitle: 'Проверка подлинности копии',
  verifyIntro: 'Каждая сборка перечисляет все файлы с их хешами SHA-256 в manifest.json и подписывает этот список ключом Ed25519 (manifest.sig). Сравните открытый ключ ниже с ключом, который издание публикует в другом месте, и проверьте копию.',
  publicKey: 'Открытый ключ',
  noKey: 'Открытый ключ для этого сайта ещё не задан.',
  verifyTool: 'С помощью newsmirror (папка, .car, .zip или URL):',
  verifyOpenssl: 'Только с OpenSSL: сохраните ключ ниже как key.pem и в папке копии выполните:',
  verifyFiles: 'Затем сравните хеш каждого файла с записью в manifest.json:',
  months: ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'],
  monthsOf: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
};

const kk: Strings = {
  home: 'Басты бет',
  archive: 'Мұрағат',
  feeds: 'Арналар',
  about: 'Айна туралы',
  mirrors: 'Айналар',
  verify: 'Тексеру',
  outlets: 'Басылымдар',
  latest: 'Соңғы жаңалықтар',
  by: 'Авторы:',
  updated: 'жаңартылды',
  tags: 'Тегтер',
  correction: 'Түзету',
  dateNote: 'Күні туралы',
  dateNotes: { missing: 'арнада күні болмады; көшірілген уақыты көрсетілген', unparseable: 'арнадағы күнді оқу мүмкін болмады', future: 'арнадағы күн болашақта болды' },
  original: 'Түпнұсқа',
  mayBeBlocked: 'сізде бұғатталған болуы мүмкін',
  mirroredAt: 'көшірілді',
  page: 'бет',
  newer: 'Жаңарақ',
  older: 'Ескірек',
  articles: 'мақала',
  noArticles: 'Әзірге мақала жоқ.',
  moreInArchive: 'Ескі мақалалар мұрағатта',
  otherMirrors: 'Сайттың басқа көшірмелері',
  allMirrors: 'барлық айналар',
  mirrorsIntro: 'Дәл осы сайт, сол кілтпен қол қойылып, мына мекенжайларда жарияланған. Біреуі бұғатталса, басқасын ашыңыз; дискідегі көшірме де жұмыс істейді.',
  mirrorName: 'Айна',
  kind: 'Түрі',
  status: 'Күйі',
  lastCheck: 'Тексерілді',
  never: 'ешқашан',
  statuses: { fresh: 'өзекті', stale: 'артта қалған', down: 'қолжетімсіз', tampered: 'өзгертілген — сенбеңіз', unknown: 'тексерілмеген' },
  feedsIntro: 'Айнаны кез келген арна оқу бағдарламасында оқыңыз. Арналарды айнаның өзі береді, сондықтан басылымдардың сайттары бұғатталса да жұмыс істейді.',
  allOutlets: 'Барлық басылымдар',
  opml: 'Барлық арналар OPML түрінде (оқу бағдарламасына импорттау үшін)',
  aboutTitle: 'Айна туралы',
  aboutWhat: 'Бұл — айна: тәуелсіз басылымдардың материалдарының көшірмесі, олардың сайттары бұғатталғанда, баяулатылғанда немесе өшірілгенде де оқуға болады. Ол басқа серверлерден ештеңе жүктемейді, cookie қоймайды, скрипт іске қоспайды және сізді бақыламайды.',
  aboutWhose: 'Материалдар төмендегі басылымдарға тиесілі. Айна олардың ашық арналарын көшіреді, әр мақалада түпнұсқаға сілтеме бар.',
  aboutTrust: 'Сайттың әр көшірмесіне қол қойылған. Оқып отырған көшірменің түпнұсқа және өзгертілмегенін тексеру:',
  verifyTitle: 'Көшірменің түпнұсқалығын тексеру',
  verifyIntro: 'Әр құрастыру барлық файлды SHA-256 хештерімен manifest.json ішінде тізеді және бұл тізімге Ed25519 кілтімен қол қояды (manifest.sig). Төмендегі ашық кілтті басылым басқа жерде жариялаған кілтпен салыстырып, көшірмені тексеріңіз.',
  publicKey: 'Ашық кілт',
  noKey: 'Бұл сайт үшін ашық кілт әлі берілмеген.',
  verifyTool: 'newsmirror арқылы (қалта, .car, .zip немесе URL):',
  verifyOpenssl: 'Тек OpenSSL арқылы: төмендегі кілтті key.pem деп сақтап, көшірме қалтасында орындаңыз:',
  verifyFiles: 'Содан кейін әр файлдың хешін manifest.json ішіндегі жазбамен салыстырыңыз:',
  months: ['Қаңтар', 'Ақпан', 'Наурыз', 'Сәуір', 'Мамыр', 'Маусым', 'Шілде', 'Тамыз', 'Қыркүйек', 'Қазан', 'Қараша', 'Желтоқсан'],
  monthsOf: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
};

export const STRINGS: Record<UiLang, Strings> = { kk, ru, en };

/** "5 January 2026, 10:00 UTC" / "5 января 2026, 10:00 UTC" / "2026 ж. 5 қаңтар, 10:00 UTC" from an ISO UTC time. */
export function formatDateTime(iso: string, lang: UiLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, h, mi] = m;
  const month = STRINGS[lang].monthsOf[Number(mo) - 1] ?? mo;
  const day = String(Number(d));
  const date = lang === 'kk' ? `${y} ж. ${day} ${month}` : `${day} ${month} ${y}`;
  return `${date}, ${h}:${mi} UTC`;
}

/** "January 2026" (archive headings) from "2026-01". */
export function formatMonth(yearMonth: string, lang: UiLang): string {
  const [y, mo] = yearMonth.split('-');
  const month = STRINGS[lang].months[Number(mo) - 1] ?? mo;
  return lang === 'kk' ? `${y} ж. ${month}` : `${month} ${y}`;
}

/** A front matter dateNote ("future: <raw>") in words of the interface language, keeping the raw value. */
export function describeDateNote(note: string, lang: UiLang): string {
  const m = /^(missing|unparseable|future)(?::\s*(.*))?$/s.exec(note);
  if (!m) return note;
  const text = STRINGS[lang].dateNotes[m[1] as 'missing' | 'unparseable' | 'future'];
  return m[2] ? `${text}: ${m[2]}` : text;
}
