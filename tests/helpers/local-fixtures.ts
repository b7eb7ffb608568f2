/** This repository's own fixtures (tests/fixtures/feeds, tests/fixtures/pages), beside the shared read-only ones feed-server.ts mounts. */
import { readFileSync } from 'node:fs';

/** A fixture under tests/fixtures/, e.g. localFixture('feeds/turbo-content.xml'), as bytes. */
export const localFixture = (path: string): Buffer => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
