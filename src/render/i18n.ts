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
