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
  // navigation, the notice on articles, Other copies, 404 (h11a)
  search: string;
  otherCopies: string;
  download: string;
  /** aria-label of the header navigation. */
  navLabel: string;
  /** aria-label of the notice at the top of each article. */
  noticeLabel: string;
  /** "{outlet}" is replaced by the outlet's name (in its own language). */
  noticeCopy: string;
  noticeOriginal: string;
  noticeOther: string;
  noticeDownload: string;
  /** Plural forms of "article" after a number: one, few, many (see plural()). */
  articlesCount: [string, string, string];
  /** "page {n} of {count}". */
  pageOf: string;
  copiesIntro: string;
  copiesWeb: string;
  copiesIpfs: string;
  copiesOnion: string;
  copiesOffline: string;
  ipfsIntro: string;
  cid: string;
  gateways: string;
  ipfsApp: string;
  onionIntro: string;
  offlineIntro: string;
  zipHow: string;
  carHow: string;
  /** "{size}" at the last release. */
  sizeAtRelease: string;
  releaseRecord: string;
  noCopies: string;
  becomeTitle: string;
  becomeText: string;
  becomeReadme: string;
  qrTitle: string;
  qrText: string;
  /** "{time}": the latest check of any mirror. */
  asOf: string;
  /** "{ago}" (e.g. "2 hours") and "{status}". */
  checkedBefore: string;
  checkedThen: string;
  notChecked: string;
  /** Plural forms (one, few, many) of the units in checkedBefore. */
  units: { minute: [string, string, string]; hour: [string, string, string]; day: [string, string, string] };
  notFoundTitle: string;
  notFoundText: string;
  siteHome: string;
  /** Units of file sizes: kilobytes, megabytes. */
  sizeUnits: [string, string];
  /** A date: "{day} {month} {year}" (month in the form of monthsOf). */
  dateFormat: string;
  /** An archive month: "{month} {year}" (month in the form of months). */
  monthFormat: string;
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
  noArticles: string;
  moreInArchive: string;
  otherMirrors: string;
  allMirrors: string;
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
  // navigation, the notice on articles, Other copies, 404 (h11a)
  search: 'Search',
  otherCopies: 'Other copies',
  download: 'Download',
  navLabel: 'Site',
  noticeLabel: 'About this copy',
  noticeCopy: 'A copy of an article by {outlet}.',
  noticeOriginal: 'The original may be blocked where you are:',
  noticeOther: 'Other copies:',
  noticeDownload: 'Download the whole site',
  articlesCount: ['article', 'articles', 'articles'],
  pageOf: 'page {n} of {count}',
  copiesIntro: 'The same site, signed with the same key, can be reached in these ways. If one is blocked, try another. Save this page: it works offline too.',
  copiesWeb: 'On the web',
  copiesIpfs: 'On IPFS',
  copiesOnion: 'Through Tor',
  copiesOffline: 'Offline',
  ipfsIntro: 'IPFS finds the site by its content address (CID), from any gateway or an IPFS app. A gateway may show an earlier version.',
  cid: 'CID',
  gateways: 'Gateways',
  ipfsApp: 'In an IPFS app or Brave',
  onionIntro: 'Open this address in Tor Browser (torproject.org); it works when the web addresses are blocked.',
  offlineIntro: 'Every copy carries the whole site as one file. Download it once, read it without internet, and pass it on by USB stick or messenger.',
  zipHow: 'unzip it and open index.html in any browser.',
  carHow: 'the same site for IPFS: ipfs dag import site.car, or npx newsmirror serve site.car.',
  sizeAtRelease: '{size} at the last release',
  releaseRecord: 'Exact sizes and SHA-256 of the current files: release.json.',
  noCopies: 'No other copies are listed yet. Until there are, download the site and keep it.',
  becomeTitle: 'Host a copy',
  becomeText: 'Anyone can host a copy without the signing key: take it from this copy, check its signature, serve it. Each new copy makes the site harder to block.',
  becomeReadme: 'Instructions: section “Mirror operators” of the newsmirror README',
  qrTitle: 'Pass this list on',
  qrText: 'This code holds the addresses on this page. Scan it with a phone camera.',
  asOf: 'Status at the last check, {time}:',
  checkedBefore: 'checked {ago} earlier: {status}',
  checkedThen: 'checked then: {status}',
  notChecked: 'not checked yet',
  units: { minute: ['minute', 'minutes', 'minutes'], hour: ['hour', 'hours', 'hours'], day: ['day', 'days', 'days'] },
  notFoundTitle: 'Page not found',
  notFoundText: 'This page is not on this copy: the link may be wrong, or the article was removed. Try these:',
  siteHome: 'Home page',
  sizeUnits: ['kB', 'MB'],
  dateFormat: '{day} {month} {year}',
  monthFormat: '{month} {year}',
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
  noArticles: 'No articles yet.',
  moreInArchive: 'Older articles are in the archive',
  otherMirrors: 'Other copies of this site',
  allMirrors: 'all copies',
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
  // navigation, the notice on articles, Other copies, 404 (h11a)
  search: 'Поиск',
  otherCopies: 'Другие копии',
  download: 'Скачать',
  navLabel: 'Сайт',
  noticeLabel: 'Об этой копии',
  noticeCopy: 'Копия статьи издания {outlet}.',
  noticeOriginal: 'Оригинал может быть заблокирован у вас:',
  noticeOther: 'Другие копии:',
  noticeDownload: 'Скачать весь сайт',
  articlesCount: ['статья', 'статьи', 'статей'],
  pageOf: 'страница {n} из {count}',
  copiesIntro: 'Этот же сайт, подписанный тем же ключом, доступен так. Если один адрес заблокирован, попробуйте другой. Сохраните эту страницу: она работает и без интернета.',
  copiesWeb: 'В интернете',
  copiesIpfs: 'В IPFS',
  copiesOnion: 'Через Tor',
  copiesOffline: 'Без интернета',
  ipfsIntro: 'IPFS находит сайт по адресу содержимого (CID) через любой шлюз или приложение IPFS. Шлюз может показать более раннюю версию.',
  cid: 'CID',
  gateways: 'Шлюзы',
  ipfsApp: 'В приложении IPFS или Brave',
  onionIntro: 'Откройте этот адрес в Tor Browser (torproject.org): он работает, когда обычные адреса заблокированы.',
  offlineIntro: 'Каждая копия содержит весь сайт одним файлом. Скачайте его один раз, читайте без интернета и передайте дальше на флешке или в мессенджере.',
  zipHow: 'распакуйте и откройте index.html в любом браузере.',
  carHow: 'тот же сайт для IPFS: ipfs dag import site.car или npx newsmirror serve site.car.',
  sizeAtRelease: '{size} в последнем выпуске',
  releaseRecord: 'Точные размеры и SHA-256 текущих файлов: release.json.',
  noCopies: 'Других копий пока нет. Пока их нет, скачайте сайт и сохраните его.',
  becomeTitle: 'Сделайте свою копию',
  becomeText: 'Разместить копию может любой, ключ подписи не нужен: возьмите её с этой копии, проверьте подпись и раздавайте. Каждая новая копия делает сайт труднее заблокировать.',
  becomeReadme: 'Инструкция: раздел «Mirror operators» в README newsmirror',
  qrTitle: 'Передайте этот список',
  qrText: 'В этом коде — адреса с этой страницы. Отсканируйте его камерой телефона.',
  asOf: 'Состояние на момент последней проверки, {time}:',
  checkedBefore: 'проверено за {ago} до этого: {status}',
  checkedThen: 'проверено тогда же: {status}',
  notChecked: 'ещё не проверялось',
  units: { minute: ['минуту', 'минуты', 'минут'], hour: ['час', 'часа', 'часов'], day: ['день', 'дня', 'дней'] },
  notFoundTitle: 'Страница не найдена',
  notFoundText: 'Этой страницы нет в этой копии: ссылка может быть неверной, или статья удалена. Попробуйте:',
  siteHome: 'Главная страница',
  sizeUnits: ['КБ', 'МБ'],
  dateFormat: '{day} {month} {year}',
  monthFormat: '{month} {year}',
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
  noArticles: 'Статей пока нет.',
  moreInArchive: 'Более старые статьи — в архиве',
  otherMirrors: 'Другие копии сайта',
  allMirrors: 'все копии',
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
  // navigation, the notice on articles, Other copies, 404 (h11a)
  search: 'Іздеу',
  otherCopies: 'Басқа көшірмелер',
  download: 'Жүктеп алу',
  navLabel: 'Сайт',
  noticeLabel: 'Осы көшірме туралы',
  noticeCopy: '{outlet} басылымы мақаласының көшірмесі.',
  noticeOriginal: 'Түпнұсқа сізде бұғатталған болуы мүмкін:',
  noticeOther: 'Басқа көшірмелер:',
  noticeDownload: 'Бүкіл сайтты жүктеп алу',
  articlesCount: ['мақала', 'мақала', 'мақала'],
  pageOf: '{count} беттің {n}-беті',
  copiesIntro: 'Дәл осы сайт, сол кілтпен қол қойылған, мына жолдармен қолжетімді. Біреуі бұғатталса, басқасын қолданыңыз. Бұл бетті сақтап қойыңыз: ол интернетсіз де ашылады.',
  copiesWeb: 'Интернетте',
  copiesIpfs: 'IPFS желісінде',
  copiesOnion: 'Tor арқылы',
  copiesOffline: 'Интернетсіз',
  ipfsIntro: 'IPFS сайтты мазмұн мекенжайы (CID) бойынша кез келген шлюз не IPFS қолданбасы арқылы табады. Шлюз ертерек нұсқаны көрсетуі мүмкін.',
  cid: 'CID',
  gateways: 'Шлюздер',
  ipfsApp: 'IPFS қолданбасында немесе Brave-те',
  onionIntro: 'Бұл мекенжайды Tor Browser-де ашыңыз (torproject.org): кәдімгі мекенжайлар бұғатталғанда да жұмыс істейді.',
  offlineIntro: 'Әр көшірмеде бүкіл сайт бір файл болып жатыр. Оны бір рет жүктеп алып, интернетсіз оқыңыз және флешка не мессенджер арқылы басқаларға беріңіз.',
  zipHow: 'ашып, index.html файлын кез келген браузерде ашыңыз.',
  carHow: 'IPFS үшін сол сайт: ipfs dag import site.car немесе npx newsmirror serve site.car.',
  sizeAtRelease: 'соңғы шығарылымда {size}',
  releaseRecord: 'Қазіргі файлдардың нақты өлшемі мен SHA-256 хеші: release.json.',
  noCopies: 'Әзірге басқа көшірмелер жоқ. Олар пайда болғанша сайтты жүктеп алып, сақтап қойыңыз.',
  becomeTitle: 'Өз көшірмеңізді жасаңыз',
  becomeText: 'Көшірмені кез келген адам орналастыра алады, қол қою кілті керек емес: оны осы көшірмеден алып, қолтаңбасын тексеріп, таратыңыз. Әр жаңа көшірме сайтты бұғаттауды қиындатады.',
  becomeReadme: 'Нұсқаулық: newsmirror README ішіндегі «Mirror operators» бөлімі',
  qrTitle: 'Бұл тізімді басқаларға беріңіз',
  qrText: 'Бұл кодта осы беттегі мекенжайлар бар. Телефон камерасымен сканерлеңіз.',
  asOf: 'Соңғы тексеру кезіндегі күйі, {time}:',
  checkedBefore: 'одан {ago} бұрын тексерілді: {status}',
  checkedThen: 'сол кезде тексерілді: {status}',
  notChecked: 'әлі тексерілмеген',
  units: { minute: ['минут', 'минут', 'минут'], hour: ['сағат', 'сағат', 'сағат'], day: ['күн', 'күн', 'күн'] },
  notFoundTitle: 'Бет табылмады',
  notFoundText: 'Бұл бет осы көшірмеде жоқ: сілтеме қате болуы мүмкін немесе мақала алынып тасталған. Мыналарды көріңіз:',
  siteHome: 'Басты бет',
  sizeUnits: ['КБ', 'МБ'],
  dateFormat: '{year} ж. {day} {month}',
  monthFormat: '{year} ж. {month}',
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
  noArticles: 'Әзірге мақала жоқ.',
  moreInArchive: 'Ескі мақалалар мұрағатта',
  otherMirrors: 'Сайттың басқа көшірмелері',
  allMirrors: 'барлық көшірмелер',
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
  const t = STRINGS[lang];
  const date = fill(t.dateFormat, { day: String(Number(d)), month: t.monthsOf[Number(mo) - 1] ?? mo!, year: y! });
  return `${date}, ${h}:${mi} UTC`;
}

/** "January 2026" (archive headings) from "2026-01". */
export function formatMonth(yearMonth: string, lang: UiLang): string {
  const [y, mo] = yearMonth.split('-');
  const t = STRINGS[lang];
  return fill(t.monthFormat, { month: t.months[Number(mo) - 1] ?? mo ?? '', year: y ?? '' });
}

/** A front matter dateNote ("future: <raw>") in words of the interface language, keeping the raw value. */
export function describeDateNote(note: string, lang: UiLang): string {
  const m = /^(missing|unparseable|future)(?::\s*(.*))?$/s.exec(note);
  if (!m) return note;
  const text = STRINGS[lang].dateNotes[m[1] as 'missing' | 'unparseable' | 'future'];
  return m[2] ? `${text}: ${m[2]}` : text;
}

/** Which plural form (0 one, 1 few, 2 many) a number takes: Russian has three, English two, Kazakh one. */
export function pluralForm(n: number, lang: UiLang): 0 | 1 | 2 {
  if (lang === 'kk') return 0;
  if (lang === 'en') return n === 1 ? 0 : 2;
  const ten = n % 10;
  const hundred = n % 100;
  if (ten === 1 && hundred !== 11) return 0;
  if (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14)) return 1;
  return 2;
}

/** "5 статей", "1 article": a count with its word in the right form. */
export function countOf(n: number, forms: readonly [string, string, string], lang: UiLang): string {
  return `${n} ${forms[pluralForm(n, lang)]}`;
}

/** Replace "{name}" placeholders in an interface string (values are inserted as given: escape them first). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A duration in words, rounded down to its largest unit: "2 hours", "за 3 дня" (Russian forms are the accusative "за N …"). */
export function formatDuration(ms: number, lang: UiLang): string {
  const { units } = STRINGS[lang];
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return countOf(minutes, units.minute, lang);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return countOf(hours, units.hour, lang);
  return countOf(Math.floor(hours / 24), units.day, lang);
}

/** A file size for readers: "850 kB", "2.3 MB" (a decimal comma in Russian and Kazakh). */
export function formatSize(bytes: number, lang: UiLang): string {
  const [kb, mb] = STRINGS[lang].sizeUnits;
  const text = bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} ${kb}` : `${(bytes / 1_000_000).toFixed(1)} ${mb}`;
  return lang === 'en' ? text : text.replace('.', ',');
}
