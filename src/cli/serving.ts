/** Serve a built site (and optionally the rebuild trigger) until Ctrl-C: shared by `run --serve` and `demo`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NewsmirrorError } from '../core/errors.ts';
import type { Reporter } from '../core/log.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
interface ServeModule {
  startServer(options: { source: string; host?: string; port?: number; handlers?: Handler[] }): Promise<{ url: string; close(): Promise<void> }>;
}

// Loaded by path so this file type-checks before the serve stage exists.
const SERVE_MODULE = '../serve/index.ts';

export async function startSite(options: { source: string; host: string; port: number; handlers?: Handler[] }): Promise<{ url: string; close(): Promise<void> }> {
  const serve = (await import(SERVE_MODULE)) as ServeModule;
  try {
    return await serve.startServer(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new NewsmirrorError('ERR_PORT', `port ${options.port} on ${options.host} is already in use; stop what is using it or pass --port N`, { cause: error });
    }
    throw error;
  }
}

/** Start serving `source`, say where, and keep serving until `signal` aborts (Ctrl-C). */
export async function serveUntilStopped(options: { source: string; host: string; port: number; handlers?: Handler[]; signal: AbortSignal; reporter: Reporter; what?: string }): Promise<void> {
  const server = await startSite(options);
  options.reporter.info(`Serving ${options.what ?? options.source} at ${server.url} (open it in a browser; Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}
