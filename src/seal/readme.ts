/** The plain-text "how to open this" at the root of the offline bundle, in Kazakh, Russian and English. */

export interface ReadmeFacts {
  title: string;
  version: number;
  built: string;
  cid: string;
  publicKey: string;
}

export function bundleReadme(f: ReadmeFacts): string {
  const date = f.built.slice(0, 10);
  return [
    `${f.title} — ${date} (v${f.version})`,
    '',
    '=== Қазақша ===',
    'Бұл — жаңалықтар айнасының желісіз көшірмесі. Интернет қажет емес.',
    'Қалай ашу керек: архивті бір папкаға шығарыңыз (Extract / Распаковать), содан кейін site/index.html файлын кез келген браузерде ашыңыз.',
    'Көшірмені досыңызға флешка немесе мессенджер арқылы бере аласыз.',
    `Түпнұсқалығын тексеру: newsmirror verify site.zip --key ${f.publicKey}`,
    'Кілт сайттың «Тексеру» бетіндегі кілтпен бірдей болуы керек.',
    `IPFS үшін: site.car — бүкіл сайт, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
    '=== Русский ===',
    'Это автономная копия новостного зеркала. Интернет не нужен.',
    'Как открыть: распакуйте архив в папку (Extract / Распаковать), затем откройте файл site/index.html в любом браузере.',
    'Копию можно передать другу на флешке или через мессенджер.',
    `Как проверить подлинность: newsmirror verify site.zip --key ${f.publicKey}`,
    'Ключ должен совпадать с ключом на странице «Проверка» сайта.',
    `Для IPFS: site.car — весь сайт, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
    '=== English ===',
    'This is an offline copy of a news mirror. No internet needed.',
    'How to open: extract the archive into a folder, then open site/index.html in any web browser.',
    'You can pass the copy on by USB stick or messenger.',
    `How to check it is genuine: newsmirror verify site.zip --key ${f.publicKey}`,
    "The key must match the one on the site's verify page.",
    `For IPFS: site.car is the whole site, CID: ${f.cid} (ipfs dag import site.car).`,
    '',
  ].join('\r\n');
}
