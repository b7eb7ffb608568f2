/**
 * Preloaded (`node --import ./bench/usage.mjs …`) into a process a benchmark measures:
 * at exit it writes one line to stderr, "BENCH_USAGE {innerMs, cpuMs, rssMb}", the time
 * from this module's start (process start excluded), CPU time and peak memory of the process.
 */
/* global process, performance */
const started = performance.now();
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nBENCH_USAGE ${JSON.stringify({ innerMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});
