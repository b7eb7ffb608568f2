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
  publicKey: string;
  noKey: string;
  months: string[];
  monthsOf: string[];
  // search & verify (h11b)
  svSearch: string;
  svSearchLabel: string;
  svOutlet: string;
  svAllOutlets: string;
  svFind: string;
  svNeedsJs: string;
  svLoading: string;
  svFailed: string;
  svNone: string;
  svFound: string;
  svPrivacy: string;
  svTitles: string;
  svTitlesFor: string;
  svMore: string;
  /** On the search page when site.yaml's fullTextSearch is not `all`: {since} is a date (dateFormat). */
  svLeadOnly: string;
  svIntro: string;
  svProvesTitle: string;
  svProves: string;
  svNotTruth: string;
  svNotFresh: string;
  svNotKey: string;
  svNotPage: string;
  svFingerprint: string;
  svKeyFile: string;
  svKeyCheck: string;
  svKeyMake: string;
  svUnixTitle: string;
  svUnixSig: string;
  svUnixSums: string;
  svPartial: string;
  svWindowsTitle: string;
  svWindows: string;
  svToolTitle: string;
  svTool: string;
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
  publicKey: 'Public key',
  noKey: 'No public key is configured for this site yet.',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  monthsOf: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  // search & verify (h11b)
  svSearch: 'Search',
  svSearchLabel: 'Words to find',
  svOutlet: 'Outlet',
  svAllOutlets: 'All outlets',
  svFind: 'Find',
  svNeedsJs: 'Search runs in your browser: it needs JavaScript and a copy opened over the web (an address beginning with http:// or https://). Opened from a file, or with JavaScript off, use the lists of titles below.',
  svLoading: 'Loading the search index…',
  svFailed: 'The search index could not be loaded here. Use the lists of titles below.',
  svNone: 'Nothing found. Try another form of the word, or fewer words.',
  svFound: 'Found:',
  svPrivacy: 'Your words are not sent to anyone: your browser fetches parts of the index from this copy and searches on your device. The server of this copy can see which parts it fetches.',
  svTitles: 'Titles by outlet and month',
  svTitlesFor: 'Titles',
  svMore: 'More results',
  svLeadOnly: 'The full text of articles from {since} on is searched; earlier articles are found by their title and opening paragraphs.',
  svIntro: 'Every build of this site comes with a list of the SHA-256 hashes of all its files (SHA256SUMS), signed with the publisher’s Ed25519 key (SHA256SUMS.sig). Two standard commands check that the copy in front of you is exactly the one the publisher signed.',
  svProvesTitle: 'What the check proves, and what it does not',
  svProves: 'It proves that the files are exactly those the holder of the key signed: no mirror, network or USB stick changed, added or removed a word.',
  svNotTruth: 'It does not prove that the reporting is true, only that it reached you as it was published.',
  svNotFresh: 'It does not prove that the copy is recent: an old copy stays validly signed. Look at the dates of the newest articles.',
  svNotKey: 'If the publisher’s key is stolen, a forged copy passes too. If the outlet announces a new key, use the new one.',
  svNotPage: 'This page may itself have been altered on a hostile network, and the key on it too. A key taken from the copy you are checking proves nothing: compare it, or its fingerprint, with one you got elsewhere (the outlet’s other channels, a friend, print).',
  svFingerprint: 'Fingerprint (SHA-256 of the key):',
  svKeyFile: 'The same key as a file for OpenSSL:',
  svKeyCheck: 'Get key.pem in one of two ways. Either compare the fingerprint of publickey.pem with one you got elsewhere, then use it:',
  svKeyMake: 'Or write key.pem from the ed25519: key you got elsewhere (check that the first line matches it):',
  svUnixTitle: 'Linux and macOS',
  svUnixSig: 'Download the copy (site.zip from “Other copies”), unzip it and open a terminal in its site folder. Check the signature; it must print “Signature Verified Successfully”:',
  svUnixSums: 'Then check every file; each line must end in OK (on macOS: shasum -a 256 -c SHA256SUMS):',
  svPartial: 'Downloaded only some of the files, such as one page in its folder? Add --ignore-missing to check just those.',
  svWindowsTitle: 'Windows (PowerShell)',
  svWindows: 'In PowerShell, in the site folder, this checks every file and names any that differ; it must end with “0 failed”. OpenSSL for the signature comes with Git for Windows.',
  svToolTitle: 'With newsmirror',
  svTool: 'Mirror operators who have the newsmirror tool can check a folder, a .zip, a .car or a web address in one step:',
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
  publicKey: 'Открытый ключ',
  noKey: 'Открытый ключ для этого сайта ещё не задан.',
  months: ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'],
  monthsOf: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  // search & verify (h11b)
  svSearch: 'Поиск',
  svSearchLabel: 'Что найти',
  svOutlet: 'Издание',
  svAllOutlets: 'Все издания',
  svFind: 'Найти',
  svNeedsJs: 'Поиск работает в вашем браузере: ему нужен JavaScript и копия, открытая по сети (адрес начинается с http:// или https://). Если копия открыта из файла или JavaScript выключен, пользуйтесь списками заголовков ниже.',
  svLoading: 'Загружается поисковый индекс…',
  svFailed: 'Поисковый индекс здесь не загрузился. Пользуйтесь списками заголовков ниже.',
  svNone: 'Ничего не найдено. Попробуйте другую форму слова или меньше слов.',
  svFound: 'Найдено:',
  svPrivacy: 'Ваши слова никуда не отправляются: браузер загружает части индекса с этой же копии и ищет на вашем устройстве. Сервер этой копии видит, какие части загружены.',
  svTitles: 'Заголовки по изданиям и месяцам',
  svTitlesFor: 'Заголовки',
  svMore: 'Ещё результаты',
  svLeadOnly: 'Поиск идёт по полному тексту статей с {since}; более ранние статьи находятся по заголовку и первым абзацам.',
  svIntro: 'К каждой сборке сайта прилагается список хешей SHA-256 всех его файлов (SHA256SUMS), подписанный ключом Ed25519 издателя (SHA256SUMS.sig). Две стандартные команды проверяют, что перед вами ровно та копия, которую подписал издатель.',
  svProvesTitle: 'Что доказывает проверка и чего не доказывает',
  svProves: 'Она доказывает, что файлы в точности те, что подписал владелец ключа: ни зеркало, ни сеть, ни флешка не изменили, не добавили и не убрали ни слова.',
  svNotTruth: 'Она не доказывает, что написанное правда, — только что текст дошёл до вас таким, каким был опубликован.',
  svNotFresh: 'Она не доказывает, что копия свежая: старая копия остаётся правильно подписанной. Смотрите на даты новейших статей.',
  svNotKey: 'Если ключ издателя украден, поддельная копия тоже пройдёт проверку. Если издание объявит новый ключ, пользуйтесь новым.',
  svNotPage: 'Сама эта страница могла быть изменена во враждебной сети, а с ней и ключ. Ключ, взятый из проверяемой копии, ничего не доказывает: сравните его или его отпечаток с полученным из другого источника (другие каналы издания, знакомый, печать).',
  svFingerprint: 'Отпечаток (SHA-256 ключа):',
  svKeyFile: 'Тот же ключ файлом для OpenSSL:',
  svKeyCheck: 'Получите key.pem одним из двух способов. Либо сравните отпечаток publickey.pem с полученным из другого источника и используйте его:',
  svKeyMake: 'Либо запишите key.pem из ключа ed25519:, полученного из другого источника (проверьте, что первая строка с ним совпадает):',
  svUnixTitle: 'Linux и macOS',
  svUnixSig: 'Скачайте копию (site.zip со страницы «Другие копии»), распакуйте и откройте терминал в её папке site. Проверьте подпись; команда должна вывести «Signature Verified Successfully»:',
  svUnixSums: 'Затем проверьте все файлы; каждая строка должна заканчиваться на OK (на macOS: shasum -a 256 -c SHA256SUMS):',
  svPartial: 'Скачали только часть файлов, например одну страницу в её папке? Добавьте --ignore-missing, чтобы проверить только их.',
  svWindowsTitle: 'Windows (PowerShell)',
  svWindows: 'В PowerShell, в папке site, эта команда проверяет все файлы и называет несовпавшие; в конце должно быть «0 failed». OpenSSL для подписи входит в Git for Windows.',
  svToolTitle: 'С помощью newsmirror',
  svTool: 'Операторы зеркал, у которых есть программа newsmirror, проверяют папку, .zip, .car или веб-адрес одной командой:',
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
  publicKey: 'Ашық кілт',
  noKey: 'Бұл сайт үшін ашық кілт әлі берілмеген.',
  months: ['Қаңтар', 'Ақпан', 'Наурыз', 'Сәуір', 'Мамыр', 'Маусым', 'Шілде', 'Тамыз', 'Қыркүйек', 'Қазан', 'Қараша', 'Желтоқсан'],
  monthsOf: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
  // search & verify (h11b)
  svSearch: 'Іздеу',
  svSearchLabel: 'Не іздейсіз',
  svOutlet: 'Басылым',
  svAllOutlets: 'Барлық басылымдар',
  svFind: 'Табу',
  svNeedsJs: 'Іздеу браузеріңізде жұмыс істейді: оған JavaScript және желі арқылы ашылған көшірме (мекенжайы http:// немесе https:// деп басталады) керек. Көшірме файлдан ашылса немесе JavaScript өшірулі болса, төмендегі тақырыптар тізімін пайдаланыңыз.',
  svLoading: 'Іздеу индексі жүктелуде…',
  svFailed: 'Іздеу индексі мұнда жүктелмеді. Төмендегі тақырыптар тізімін пайдаланыңыз.',
  svNone: 'Ештеңе табылмады. Сөздің басқа түрін немесе азырақ сөз жазып көріңіз.',
  svFound: 'Табылды:',
  svPrivacy: 'Сөздеріңіз ешкімге жіберілмейді: браузер индекстің бөліктерін осы көшірменің өзінен жүктеп, құрылғыңызда іздейді. Бұл көшірменің сервері қай бөліктер жүктелгенін көре алады.',
  svTitles: 'Басылымдар мен айлар бойынша тақырыптар',
  svTitlesFor: 'Тақырыптар',
  svMore: 'Тағы нәтижелер',
  svLeadOnly: '{since} күнінен бастап жарияланған мақалалар толық мәтіні бойынша ізделеді; ертеректегі мақалалар тақырыбы мен алғашқы абзацтары бойынша табылады.',
  svIntro: 'Сайттың әр құрастыруымен бірге оның барлық файлының SHA-256 хештерінің тізімі (SHA256SUMS) беріледі, оған баспагердің Ed25519 кілтімен қол қойылған (SHA256SUMS.sig). Екі стандартты команда алдыңыздағы көшірменің дәл баспагер қол қойған көшірме екенін тексереді.',
  svProvesTitle: 'Тексеру нені дәлелдейді және нені дәлелдемейді',
  svProves: 'Ол файлдардың кілт иесі қол қойған файлдармен дәл бірдей екенін дәлелдейді: ешбір айна, желі не флешка бір сөзді де өзгертпеген, қоспаған, алып тастамаған.',
  svNotTruth: 'Ол жазылғанның шындық екенін дәлелдемейді, тек мәтін сізге жарияланған күйінде жеткенін көрсетеді.',
  svNotFresh: 'Ол көшірменің жаңа екенін дәлелдемейді: ескі көшірменің қолтаңбасы да дұрыс болып қала береді. Ең жаңа мақалалардың күндеріне қараңыз.',
  svNotKey: 'Баспагердің кілті ұрланса, жалған көшірме де тексеруден өтеді. Басылым жаңа кілт жарияласа, жаңасын пайдаланыңыз.',
  svNotPage: 'Бұл беттің өзі жау желіде өзгертілген болуы мүмкін, ондағы кілт те. Тексеріліп жатқан көшірмеден алынған кілт ештеңе дәлелдемейді: оны немесе оның саусақ ізін басқа жерден алынғанымен салыстырыңыз (басылымның басқа арналары, таныс адам, баспа).',
  svFingerprint: 'Саусақ ізі (кілттің SHA-256 хеші):',
  svKeyFile: 'OpenSSL үшін сол кілт файл түрінде:',
  svKeyCheck: 'key.pem файлын екі тәсілдің бірімен алыңыз. Не publickey.pem саусақ ізін басқа жерден алынғанымен салыстырып, соны пайдаланыңыз:',
  svKeyMake: 'Не басқа жерден алған ed25519: кілтінен key.pem жазыңыз (бірінші жолдың онымен сәйкес екенін тексеріңіз):',
  svUnixTitle: 'Linux және macOS',
  svUnixSig: 'Көшірмені жүктеп алыңыз («Басқа көшірмелер» бетіндегі site.zip), оны ашып, site қалтасында терминал ашыңыз. Қолтаңбаны тексеріңіз; команда «Signature Verified Successfully» деп шығаруы керек:',
  svUnixSums: 'Содан кейін барлық файлды тексеріңіз; әр жол OK деп аяқталуы керек (macOS-та: shasum -a 256 -c SHA256SUMS):',
  svPartial: 'Файлдардың бір бөлігін ғана, мысалы бір бетті өз қалтасымен жүктедіңіз бе? Тек соларды тексеру үшін --ignore-missing қосыңыз.',
  svWindowsTitle: 'Windows (PowerShell)',
  svWindows: 'PowerShell-де, site қалтасында, бұл команда барлық файлды тексеріп, сәйкес келмегендерін атайды; соңында «0 failed» шығуы керек. Қолтаңбаға арналған OpenSSL Git for Windows құрамында бар.',
  svToolTitle: 'newsmirror арқылы',
  svTool: 'newsmirror бағдарламасы бар айна операторлары қалтаны, .zip, .car файлын немесе веб-мекенжайды бір командамен тексереді:',
};

export const STRINGS: Record<UiLang, Strings> = { kk, ru, en };

/** "5 January 2026, 10:00 UTC" / "5 января 2026, 10:00 UTC" / "2026 ж. 5 қаңтар, 10:00 UTC" from an ISO UTC time. */
export function formatDateTime(iso: string, lang: UiLang): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${formatDate(m[1]!, lang)}, ${m[2]}:${m[3]} UTC` : iso;
}

/** "5 January 2026" / "5 января 2026" / "2026 ж. 5 қаңтар" from "2026-01-05". */
export function formatDate(day: string, lang: UiLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const [, y, mo, d] = m;
  const t = STRINGS[lang];
  return fill(t.dateFormat, { day: String(Number(d)), month: t.monthsOf[Number(mo) - 1] ?? mo!, year: y! });
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
