/** Child of index-memory.test.ts: `node --expose-gc --import tsx index-heap.ts ROOT` prints the heap the article index of ROOT holds, in bytes. */
import { readArticleIndex } from '../../src/content/index.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();
const before = process.memoryUsage().heapUsed;
const index = await readArticleIndex(process.argv[2]!);
gc();
process.stdout.write(`${JSON.stringify({ articles: index.size, bytes: process.memoryUsage().heapUsed - before })}\n`);
