/**
 * One base error for the whole pipeline. Every error carries a stable `code`
 * (for machines and tests) and keeps its `cause`; its message names the outlet,
 * file, URL or target and says what to do.
 */
export class NewsmirrorError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad config file (outlets.yaml, site.yaml, mirrors/*.yaml): CLI exit 2. */
export class ConfigError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
  }
}

/** Bad command-line usage: CLI exit 2. */
export class UsageError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_USAGE', message, options);
  }
}

/** The one-line description of any thrown value, with its causes. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
