import { startTimer, stopTimer } from './long-timer.js';

/**
 * Resolves true once `work` settles (fulfilled or rejected: its result is not wanted), or false after
 * `ms` (Infinity: no bound). For closes that wait on a peer that may never answer (a hung Redis).
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = startTimer(() => resolve(false), ms);
    const done = () => {
      stopTimer(timer);
      resolve(true);
    };
    work.then(done, done);
  });
}
