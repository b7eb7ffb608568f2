/** `newsmirror new --outlet ID --title "..."`: scaffold a staff-written Markdown article. */
import { loadOutlets } from '../../core/config.ts';
import { UsageError } from '../../core/errors.ts';
import { scaffoldArticle, writeScaffold } from '../../staff/scaffold.ts';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';

const command: Command = {
  description: 'write a new staff article (Markdown with front matter) under content/<outlet>/ and print its path',
  usage: 'new --outlet ID --title "..." [--author NAME]',
  needsProject: true,
  options: {
    outlet: { type: 'string', description: 'the outlet id from content/_data/outlets.yaml' },
    title: { type: 'string', description: 'the headline' },
    author: { type: 'string', description: 'the byline (default: none)' },
  },
  async run(ctx) {
    const outletId = stringOption(ctx, 'outlet');
    const title = stringOption(ctx, 'title');
    if (!outletId || !title?.trim()) throw new UsageError('both --outlet ID and --title "..." are required');
    const outlets = await loadOutlets(ctx.root);
    const outlet = outlets.find((o) => o.id === outletId);
    if (!outlet) throw new UsageError(`no outlet "${outletId}" in content/_data/outlets.yaml; known: ${outlets.map((o) => o.id).join(', ') || '(none)'}`);
    const scaffold = scaffoldArticle({ outlet, title, now: new Date(), author: stringOption(ctx, 'author') });
    const path = await writeScaffold(ctx.root, scaffold);
    if (ctx.json) printJson({ path, frontMatter: scaffold.frontMatter });
    else process.stdout.write(`${path}\n`);
    ctx.reporter.info(`Wrote ${path} (id ${scaffold.frontMatter.id}). Edit the body, then run \`npx newsmirror run\` to publish it.`);
    return EXIT.ok;
  },
};
export default command;
