/**
 * A fixed amount of work, timed: run pinned to the server's core (machine-speed.mjs) to see how fast the
 * machine is right now. The guest's /proc shows neither a neighbour on the host nor a slower host (this
 * VM reports no steal time), yet either can halve a server's throughput for minutes (BENCHMARKS.md,
 * session 11). Two parts, since a neighbour can take the core or the shared cache and memory: a
 * register-bound loop, and short-lived objects plus random reads over a buffer larger than the caches.
 * Prints the best of three repetitions, in ms, as JSON.
 */
const cpuLoop = (n) => {
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = (h * 31 + i) | 0;
    h ^= h >>> 7;
  }
  return h;
};

const memory = new Int32Array(8 * 1024 * 1024).fill(7); // 32 MB, beyond the caches

const memoryWalk = (n) => {
  let at = 1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    at = (at * 1103515245 + 12345) & (memory.length - 1);
    const cell = { value: memory[at], next: sum }; // young garbage, as a server's requests make
    sum = (sum + cell.value + (cell.next & 1)) | 0;
  }
  return sum;
};

function timed(fn, n) {
  const started = process.hrtime.bigint();
  fn(n);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

cpuLoop(1e6);
memoryWalk(4e6); // lets the JIT settle before timing (fill() has already touched every page)
const best = (fn, n) => Math.min(timed(fn, n), timed(fn, n), timed(fn, n));
process.stdout.write(JSON.stringify({ cpuMs: best(cpuLoop, 5e6), memoryMs: best(memoryWalk, 2e6) }));
