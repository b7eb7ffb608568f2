import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Mirror, Outlet, Site, Takedown } from './config.ts';
import { NewsmirrorError } from './errors.ts';

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

/** `--root` (or the current folder) is not a project folder: CLI exit 2. */
export class NotAProjectError extends NewsmirrorError {
  constructor(message: string) {
    super('ERR_NOT_A_PROJECT', message);
  }
}

const WHAT_A_PROJECT_HOLDS =
  'A project folder holds content/_data/ (site.yaml, outlets.yaml), the articles under content/<outlet>/ and mirrors/*.yaml. ' +
  'Run the command there or pass --root DIR; `npx newsmirror demo` builds one to look at.';

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Throws NotAProjectError unless `root` holds content/_data/. Reads only, so a
 * command refused here has written nothing. Inside a project's content/
 * folder, the message names the project folder to use instead.
 */
/** A mirror operator's folder (made by `clone`): it holds operator.json, not content/. */
export async function isOperatorFolder(root: string): Promise<boolean> {
  return (await stat(join(root, 'operator.json')).catch(() => undefined))?.isFile() === true;
}

export async function assertProject(root: string): Promise<void> {
  const paths = projectPaths(root);
  if (await isFolder(paths.data)) return;
  for (let dir = paths.root; dirname(dir) !== dir; dir = dirname(dir)) {
    const parent = dirname(dir);
    if (basename(dir) === 'content' && (await isFolder(join(dir, '_data')))) {
      throw new NotAProjectError(`${paths.root} is inside the content/ folder of the project ${parent}; run the command in ${parent} or pass --root ${parent}`);
    }
  }
  throw new NotAProjectError(`${paths.root} is not a newsmirror project folder: it has no content/_data/. ${WHAT_A_PROJECT_HOLDS}`);
}

/**
 * One project: its paths and its validated configuration, each file read
 * once (on first use) and then the same value for the whole run, so a file
 * edited mid-run cannot give two stages two versions. Built once at the CLI
 * edge (`loadProject`) and handed to the stages; a stage takes what it needs.
 * Lazy, so a command that never needs site.yaml (takedown, new) works without one,
 * and a bad file fails with the same ConfigError as its loader's, where it is needed.
 */
export interface Project {
  paths: ProjectPaths;
  /** content/_data/site.yaml. */
  site(): Promise<Site>;
  /** content/_data/outlets.yaml. */
  outlets(): Promise<Outlet[]>;
  /** content/_data/takedowns.yaml (missing file: none). */
  takedowns(): Promise<Takedown[]>;
  /** mirrors/*.yaml (missing folder: none). */
  mirrors(): Promise<Mirror[]>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/** The project at `root` (not checked: see assertProject). */
export function loadProject(root: string): Project {
  const paths = projectPaths(root);
  return {
    paths,
    // config.ts (zod, yaml) is imported on first use: `newsmirror --help` and the run lock load this file too.
    site: once(async () => (await import('./config.ts')).loadSite(paths.root)),
    outlets: once(async () => (await import('./config.ts')).loadOutlets(paths.root)),
    takedowns: once(async () => (await import('./config.ts')).loadTakedowns(paths.root)),
    mirrors: once(async () => (await import('./config.ts')).loadMirrors(paths.root)),
  };
}
