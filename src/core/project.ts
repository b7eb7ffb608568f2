import { join, resolve } from 'node:path';

/** Where everything of one project lives. Only these paths are written. */
export interface ProjectPaths {
  /** The project folder (`--root`). */
  root: string;
  /** Eleventy input: articles and _data/. */
  content: string;
  /** content/_data: outlets.yaml, site.yaml, takedowns.yaml. */
  data: string;
  /** One YAML file per publish target. */
  mirrors: string;
  /** The rendered site. */
  site: string;
  /** Sealed outputs: manifest.json, manifest.sig, cid.txt, site.car, site.zip. */
  dist: string;
  /** State the pipeline owns between runs (HTTP cache, health, run log, lock). Never Eleventy input. */
  state: string;
}

export function projectPaths(root: string): ProjectPaths {
  const abs = resolve(root);
  return {
    root: abs,
    content: join(abs, 'content'),
    data: join(abs, 'content', '_data'),
    mirrors: join(abs, 'mirrors'),
    site: join(abs, '_site'),
    dist: join(abs, 'dist'),
    state: join(abs, '.newsmirror'),
  };
}
