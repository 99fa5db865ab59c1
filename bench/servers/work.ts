/**
 * A fixed amount of pure CPU work (about 3 us on the 2026-12 bench VM), for the `work-*-write` pair: the
 * same work placed before the response is written or after the turn's I/O, to show where in a request's
 * life the library's own work costs the most throughput.
 */
let sink = 0;

export function work(): void {
  let x = sink;
  for (let i = 0; i < 300; i++) x = (x * 1103515245 + 12345) | 0;
  sink = x;
}
