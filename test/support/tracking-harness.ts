import { jest } from '@jest/globals';
import type { BackgroundTasksModuleOptions, TaskEndInfo, TaskStatus } from '../../lib/index.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { TrackingAppModule } from '../fixtures/tracking-app.module.js';
import { startApp, type AdapterName, type RunningApp } from './app.js';
import { send } from './http.js';
import { watchProcessErrors } from './process-errors.js';

/**
 * The tracking fixture app on one adapter, with what its specs ask of it over HTTP. Its methods are
 * bound (a spec may destructure them); `running`, `probe` and `ends` are those of the latest `start()`.
 */
export class TrackingHarness {
  running!: RunningApp;
  probe!: TaskProbe;
  /** Every outcome so far (the `onTaskEnd` hook), in order. */
  ends: TaskEndInfo[] = [];
  private endWaiters: (() => void)[] = [];

  constructor(private readonly adapter: AdapterName) {}

  readonly start = async (options: BackgroundTasksModuleOptions = {}): Promise<void> => {
    this.ends = [];
    this.endWaiters = [];
    const onTaskEnd = (info: TaskEndInfo) => {
      this.ends.push(info);
      const waiting = this.endWaiters;
      this.endWaiters = [];
      for (const wake of waiting) wake();
    };
    this.running = await startApp(TrackingAppModule.with({ onTaskEnd, ...options }), this.adapter);
    this.probe = this.running.app.get(TaskProbe);
  };

  /** Resolves once the task of that id has its outcome (from the `onTaskEnd` hook). */
  readonly ended = (id: string): Promise<TaskEndInfo> => {
    const found = this.ends.find((info) => info.id === id);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.endWaiters.push(() => void this.ended(id).then(resolve)));
  };

  readonly post = async <T>(path: string): Promise<T> => {
    const response = await send(`${this.running.url}${path}`, 'POST');
    expect(response.status).toBe(201);
    return JSON.parse(response.body) as T;
  };

  readonly status = async (id: string): Promise<TaskStatus | undefined> => {
    const response = await send(`${this.running.url}/status/${encodeURIComponent(id)}`);
    return response.status === 404 ? undefined : (JSON.parse(response.body) as TaskStatus);
  };

  readonly cancel = async (id: string): Promise<string> => {
    const response = await send(`${this.running.url}/tasks/${encodeURIComponent(id)}`, 'DELETE');
    return (JSON.parse(response.body) as { result: string }).result;
  };

  readonly open = (key: string, value?: { fail?: string; value?: unknown }): void => {
    this.probe.gate<typeof value>(key).open(value);
  };

  async close(): Promise<void> {
    await this.running?.app.close();
  }
}

/** A harness for the enclosing `describe`: after each test, mocks restored, the app closed, no process error. */
export function useTrackingHarness(adapter: AdapterName): TrackingHarness {
  const harness = new TrackingHarness(adapter);
  const processErrors = watchProcessErrors().errors;
  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.close();
    expect(processErrors).toEqual([]);
  });
  return harness;
}
