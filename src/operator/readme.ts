/** The README.md `clone` writes into an operator folder, in Kazakh, Russian and English. */

export function operatorReadme(options: { dir: string; source: string }): string {
  const dir = options.dir;
  const cron = `*/10 * * * *  cd ${dir} && npx newsmirror sync --root . >> sync.log 2>&1`;
  return `# newsmirror: operator copy / айна көшірмесі / копия зеркала

Source / Дереккөз / Источник: ${options.source}

## Қазақша
Бұл қалтада сайттың қол қойылған, тексерілген көшірмесі бар.
- \`_site\` — сайттың өзі (әр жаңартуда бір сәтте ауысады); \`dist/\` — манифест, site.zip, site.car, дельталар.
- \`operator.json\` — баспагердің ашық кілті (клондау кезінде бекітілген) және дереккөздер.
- Жаңарту (cron, әр 10 минут): \`${cron}\`
- Ұсыну: \`npx newsmirror serve --root ${dir}\`. Өз хостыңызға жариялау: \`mirrors/\` ішіне YAML файл қосып (dir, git, s3, rsync, ipfs), \`npx newsmirror publish --root ${dir}\` іске қосыңыз; қол қою кілті керек емес.
- Баспагерге хабарлаңыз: айна URL-ін жіберіңіз, олар \`type: external\` файлын қосады.

## Русский
В этой папке — подписанная и проверенная копия сайта.
- \`_site\` — сам сайт (переключается атомарно при каждом обновлении); \`dist/\` — манифест, site.zip, site.car, дельты.
- \`operator.json\` — открытый ключ издания (закреплён при клонировании) и источники.
- Обновление (cron, каждые 10 минут): \`${cron}\`
- Раздавать: \`npx newsmirror serve --root ${dir}\`. Публиковать на свои хосты: добавьте YAML-файл в \`mirrors/\` (dir, git, s3, rsync, ipfs) и запустите \`npx newsmirror publish --root ${dir}\`; ключ подписи не нужен.
- Сообщите изданию адрес вашего зеркала: они добавят его файлом \`type: external\`.

## English
This folder holds a signed, verified copy of the site.
- \`_site\` is the site itself (switched atomically on every update); \`dist/\` holds the manifest, site.zip, site.car and deltas.
- \`operator.json\` holds the outlet's public key (pinned when you cloned; it never changes silently) and the sources.
- Keep it current (cron, every 10 minutes): \`${cron}\`
  \`sync\` tries the source above and every mirror in the copy's own mirrors.json, takes the newest build that verifies, never an older one, and leaves the live copy untouched on any failure.
- Serve it: \`npx newsmirror serve --root ${dir} --host 0.0.0.0 --port 8080\`.
- Publish it to your own hosts: add a YAML file to \`mirrors/\` (types dir, git, s3, rsync, ipfs, as in the newsmirror README), then \`npx newsmirror publish --root ${dir}\`. No signing key is needed: you publish the build the outlet signed.
- Tell the outlet: send them your mirror's URL (and kind: https, onion or ipfs); they add a \`mirrors/<name>.yaml\` with \`type: external\`, and once their check finds your copy fresh it appears in every mirror list.
`;
}
