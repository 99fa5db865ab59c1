import { startChildProcess, type ChildProcessRun } from './child-process.js';

export type ChildWorker = ChildProcessRun;

/** Starts a Node program that prints `Worker ready` once bootstrapped, and resolves then. */
export async function startChildWorker(script: string, env: Record<string, string>): Promise<ChildWorker> {
  return (await startChildProcess(script, env, /Worker ready/, 'it was ready')).run;
}
