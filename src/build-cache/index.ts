/** Caches that let a run cost what changed: input fingerprints and the last sealed build. Everything lives in .newsmirror/cache/ and is safe to delete. */
export { cacheDir, inputFingerprint, type Fingerprint } from './inputs.ts';
export { forgetSealed, recordSealed, reusableSealed, type SealedRecord } from './sealed.ts';
