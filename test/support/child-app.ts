import { startChildProcess, type ChildProcessRun } from './child-process.js';

export interface ChildApp extends ChildProcessRun {
  url: string;
}

/** Starts a Node program that prints `Listening on http://...`, and resolves with its URL. */
export async function startChildApp(script: string, env: Record<string, string>): Promise<ChildApp> {
  const { run, match } = await startChildProcess(script, env, /Listening on (http:\/\/127\.0\.0\.1:\d+)/, 'listening');
  return { ...run, url: match[1] };
}
