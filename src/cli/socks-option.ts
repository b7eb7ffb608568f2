/** `--socks HOST:PORT` of clone, sync, verify and check: checked before anything is fetched. */
import { parseProxy } from '../remote/index.ts';
import { stringOption, type CommandContext } from './command.ts';

export function socksOption(ctx: CommandContext): string | undefined {
  const value = stringOption(ctx, 'socks');
  if (value !== undefined) parseProxy(value);
  return value;
}
