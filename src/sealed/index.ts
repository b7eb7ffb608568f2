/**
 * The sealed formats, one entry for every stage that reads or writes them
 * (`seal` writes; `serve`, `verify`, `mirrors`, `remote` and operators' `clone`
 * read): the signed manifest and its keys, the CAR (UnixFS, Kubo's
 * unixfs-v1-2025 profile), the offline bundle (ZIP), a site folder's listing,
 * one reader for any of the three forms, and the comparison of a copy with its manifest.
 */
export * from './manifest.ts';
export * from './car.ts';
export * from './car-read.ts';
export * from './zip.ts';
export * from './walk.ts';
export * from './source.ts';
export * from './too-large.ts';
export * from './compare.ts';
export * from './check.ts';
export * from './release.ts';
export * from './delta.ts';
export * from './sums.ts';
export * from './car-plan.ts';
