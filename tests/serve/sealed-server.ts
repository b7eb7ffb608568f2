/** A sealed temp project served from its _site/ on a free port, with extra handlers (shared by the serve tests). */
import { seal } from '../../src/seal/index.ts';
import { startServer, type RequestHandler, type RunningServer } from '../../src/serve/index.ts';
import { makeProject, type Project } from '../seal/site-fixture.ts';

export interface SealedServer {
  project: Project;
  cid: string;
  server: RunningServer;
  stop(): Promise<void>;
}

export async function sealedServer(handlers: RequestHandler[] = []): Promise<SealedServer> {
  const project = await makeProject();
  const { cid } = await seal({ root: project.root, key: project.key });
  const server = await startServer({ source: project.site, port: 0, handlers });
  return {
    project,
    cid,
    server,
    async stop() {
      await server.close();
      await project.cleanup();
    },
  };
}
