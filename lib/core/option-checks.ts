import { quoteName } from './quote-name.js';

/** Longest task name `with({ name })` accepts, in characters. */
export const MAX_TASK_NAME_LENGTH = 200;

/** Most retries a task may have: more is a typo or a loop that never gives up. */
export const MAX_RETRIES = 1000;

/** Longest delay Node's own timers take (2^31-1 ms, 24.8 days): the bound of the durable timings. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A number as a message shows it: `NaN`, `Infinity` and `-0` as such (JSON would print `null`, `0`). */
export function showNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/**
 * Throws a TypeError when `given` has an own key `known` does not list, naming the key (escaped, cut
 * like a task name) and the keys that exist: a typo such as `timout` must not be silently ignored.
 */
export function checkKnownKeys(where: string, prefix: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option ${quoteName(prefix + key)} (known: ${known.join(', ')}).`);
    }
  }
}
