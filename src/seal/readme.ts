/** The plain-text "how to open this" at the root of the offline bundle, in Kazakh, Russian and English. */

export interface ReadmeFacts {
  title: string;
  version: number;
  built: string;
  cid: string;
  publicKey: string;
}

/** The two standard commands (as on the verify page; Windows readers find Get-FileHash there). */
const CHECK = [
  '  openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig',
  '  sha256sum -c SHA256SUMS',
];

export function bundleReadme(f: ReadmeFacts): string {
  const date = f.built.slice(0, 10);
  return [
    `${f.title} — ${date} (v${f.version})`,
    '',
    '=== Қазақша ===',
    'Бұл — жаңалықтар айнасының желісіз көшірмесі. Интернет қажет емес.',
    'Қалай ашу керек: архивті бір папкаға шығарыңыз (Extract / Распаковать), содан кейін site/index.html файлын кез келген браузерде ашыңыз.',
    'Көшірмені досыңызға флешка немесе мессенджер арқылы бере аласыз.',
    'Түпнұсқалығын тексеру: site қалтасында терминал ашып, екі команданы орындаңыз:',
    ...CHECK,
    'key.pem қалай алынады және тексеру нені дәлелдейді — site/verify.html бетінде. Кілтті басылымның басқа арналарынан алынған кілтпен салыстырыңыз.',
    `newsmirror бағдарламасы барлар: newsmirror verify site.zip --key ${f.publicKey}`,
    `IPFS үшін: site.car — бүкіл сайт, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
    '=== Русский ===',
    'Это автономная копия новостного зеркала. Интернет не нужен.',
    'Как открыть: распакуйте архив в папку (Extract / Распаковать), затем откройте файл site/index.html в любом браузере.',
    'Копию можно передать другу на флешке или через мессенджер.',
    'Как проверить подлинность: откройте терминал в папке site и выполните две команды:',
    ...CHECK,
    'Как получить key.pem и что доказывает проверка — на странице site/verify.html. Сравните ключ с полученным по другим каналам издания.',
    `У кого есть программа newsmirror: newsmirror verify site.zip --key ${f.publicKey}`,
    `Для IPFS: site.car — весь сайт, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
    '=== English ===',
    'This is an offline copy of a news mirror. No internet needed.',
    'How to open: extract the archive into a folder, then open site/index.html in any web browser.',
    'You can pass the copy on by USB stick or messenger.',
    'How to check it is genuine: open a terminal in the site folder and run two commands:',
    ...CHECK,
    "How to get key.pem, and what the check proves, is on site/verify.html. Compare the key with one from the outlet's other channels.",
    `If you have the newsmirror tool: newsmirror verify site.zip --key ${f.publicKey}`,
    `For IPFS: site.car is the whole site, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
  ].join('\r\n');
}
