import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildWorker {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first output (already printed or to come) that matches. */
  waitForOutput: (pattern: RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a Node program that prints `Worker ready` once bootstrapped, and resolves then. */
export function startChildWorker(script: string, env: Record<string, string>): Promise<ChildWorker> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    const waiting = waiters;
    waiters = [];
    for (const waiter of waiting) {
      if (waiter.pattern.test(output)) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForOutput = (pattern: RegExp) =>
    pattern.test(output) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve }));
  const worker: ChildWorker = { child, output: () => output, waitForOutput, exited };
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`${script} exited before it was ready:\n${output}`)));
    void waitForOutput(/Worker ready/).then(() => resolve(worker));
  });
}
