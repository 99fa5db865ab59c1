/**
 * Tasks started in one turn of the event loop, in the whole process, before a batch with more to start
 * leaves them for the next turn. Between two turns Node reads sockets: a task that keeps adding tasks
 * (sync or async: promise callbacks never yield) must not keep every other request waiting.
 */
export const TASKS_PER_TURN = 64;

/** Tasks one batch starts before it warns, once, that a task may keep adding itself. */
export const RUNAWAY_TASKS = 10_000;

let spent = 0;
let resetArmed = false;

function resetBudget(): void {
  spent = 0;
  resetArmed = false;
}

/** Takes one task's share of this turn; false when the turn has none left and the caller must wait. */
export function takeTurnShare(): boolean {
  if (spent >= TASKS_PER_TURN) return false;
  if (spent++ === 0 && !resetArmed) {
    resetArmed = true;
    // Runs after this turn's I/O: the next turn starts with a full budget.
    setImmediate(resetBudget);
  }
  return true;
}
