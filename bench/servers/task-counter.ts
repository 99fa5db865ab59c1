/**
 * Counts what the bench servers do so the harness can check that the tasks it paid for really ran
 * (a variant that silently drops its tasks would otherwise look fast). Printed on shutdown.
 */
export const taskCounter = { added: 0, ran: 0 };

/** The "no-op" task of every variant: one increment, so the work per task is the same everywhere. */
export function noopTask(): void {
  taskCounter.ran++;
}

/** The goal-5 task: 50 ms of waiting, not of CPU. */
export async function sleepTask(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  taskCounter.ran++;
}

/** What every variant's route returns, so the response bytes are identical across variants. */
export const BODY = { hello: 'world' } as const;

/** The one route every variant serves (FastAPI's /plain and /bg return the same body). */
export const ROUTE = 'bench';
