import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildProcessRun {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  /** Resolves with the first match in the output (already printed or to come). */
  waitForOutput: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a Node program with its output collected, and resolves once `ready` matches that output. */
export function startChildProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  readyName: string,
): Promise<{ run: ChildProcessRun; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    const waiting = waiters;
    waiters = [];
    for (const waiter of waiting) {
      const match = waiter.pattern.exec(output);
      if (match) waiter.resolve(match);
      else waiters.push(waiter);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForOutput = (pattern: RegExp) => {
    const match = pattern.exec(output);
    return match ? Promise.resolve(match) : new Promise<RegExpExecArray>((resolve) => waiters.push({ pattern, resolve }));
  };
  const run: ChildProcessRun = { child, output: () => output, waitForOutput, exited };
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`${script} exited before ${readyName}:\n${output}`)));
    void waitForOutput(ready).then((match) => resolve({ run, match }));
  });
}
