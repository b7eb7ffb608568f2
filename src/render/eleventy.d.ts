/** The part of Eleventy 3's programmatic and config API that render uses (Eleventy ships no TypeScript types). */
declare module '@11ty/eleventy' {
  export interface EleventyPage {
    url: string | false;
    inputPath: string;
    outputPath: string | false;
    filePathStem: string;
    date: Date;
  }
  /** The data a template renders with: its front matter merged with global data. */
  export type EleventyData = Record<string, unknown> & { page: EleventyPage; content?: string };
  export interface CollectionItem {
    data: EleventyData;
    url: string | false;
    inputPath: string;
    readonly templateContent: string;
    readonly content: string;
  }
  export interface CollectionApi {
    getAll(): CollectionItem[];
  }
  /** An 11ty.js template: data (front matter) plus a render function. */
  export interface JsTemplate {
    data?: Record<string, unknown> | (() => Record<string, unknown>);
    render(data: EleventyData): string | Promise<string>;
  }
  export interface UserConfig {
    readonly directories: { input: string; output: string; includes: string; data: string };
    addPlugin<O>(plugin: (config: UserConfig, options: O) => void | Promise<void>, options?: O): void;
    addFilter(name: string, filter: (...args: never[]) => unknown): void;
    addCollection(name: string, build: (api: CollectionApi) => unknown): void;
    addGlobalData(name: string, value: unknown): void;
    /** Copy files as they are (`{ inputPath: outputPath }`); `filter` gets each file's path relative to the input folder. */
    addPassthroughCopy(paths: string | Record<string, string>, options?: { filter?: (relativePath: string) => boolean }): void;
    addTemplate(virtualPath: string, content: JsTemplate | string, data?: Record<string, unknown>): void;
    addPreprocessor(name: string, extensions: string, run: (data: EleventyData, content: string) => string | false | void | undefined): void;
    setLibrary(name: 'md', library: { render(source: string, data?: EleventyData): string }): void;
    setTemplateFormats(formats: string[]): void;
    setQuietMode(quiet: boolean): void;
    ignores: Set<string>;
    setUseGitIgnore(use: boolean): void;
    setUseTemplateCache(use: boolean): void;
    setDataFileBaseName(name: string): void;
    setDataFileSuffixes(suffixes: string[]): void;
    configureErrorReporting(options: { allowMissingExtensions?: boolean }): void;
  }
  export interface JsonPage {
    url: string | false;
    inputPath: string;
    outputPath: string | false;
    content: string;
  }
  export interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    config?: (config: UserConfig) => void | Promise<void>;
  }
  export default class Eleventy {
    constructor(input: string, output: string, options?: EleventyOptions);
    /** Eleventy's console logger; overrideLogger swaps where its lines go. */
    readonly logger: { overrideLogger(logger: Record<'log' | 'info' | 'warn' | 'error', (message: string) => void>): void };
    write(): Promise<unknown>;
    toJSON(): Promise<JsonPage[]>;
  }
}
