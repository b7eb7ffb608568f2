/** Serve a built site (and optionally the rebuild trigger) until Ctrl-C: shared by `run --serve` and `demo`. */
import { NewsmirrorError, UsageError } from '../core/errors.ts';
import type { Reporter } from '../core/log.ts';
import { startServer, type RequestHandler as Handler, type RunningServer } from '../serve/index.ts';

export async function startSite(options: { source: string; host: string; port: number; handlers?: Handler[] }): Promise<RunningServer> {
  try {
    return await startServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new NewsmirrorError('ERR_PORT', `port ${options.port} on ${options.host} is already in use; stop what is using it or pass --port N`, { cause: error });
    }
    if (code === 'EACCES') throw new UsageError(`--port ${options.port}: ports below 1024 need root; pass --port 8080 (or any port from 1024 up)`, { cause: error });
    // A --host that is no address of this machine, or no name at all.
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`--host ${options.host} is not an address of this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)`, { cause: error });
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
