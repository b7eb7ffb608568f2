/** Serve a built site (and optionally the rebuild trigger) until Ctrl-C: shared by `run --serve` and `demo`. */
import { NewsmirrorError } from '../core/errors.ts';
import type { Reporter } from '../core/log.ts';
import { startServer, type RequestHandler as Handler, type RunningServer } from '../serve/index.ts';

export async function startSite(options: { source: string; host: string; port: number; handlers?: Handler[] }): Promise<RunningServer> {
  try {
    return await startServer(options);
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
  if (options.handlers?.length) options.reporter.info(`Rebuild trigger on: POST ${server.url}-/rebuild (signed), runs at ${server.url}-/status`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}
