import type { BackgroundTasksModuleOptions, TaskEndInfo, TaskStatus } from '../../lib/index.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { TrackingAppModule } from '../fixtures/tracking-app.module.js';
import { startApp, type AdapterName, type RunningApp } from './app.js';
import { send } from './http.js';

/** The tracking fixture app on one adapter, with what its specs ask of it over HTTP. */
export class TrackingHarness {
  running!: RunningApp;
  probe!: TaskProbe;
  /** Every outcome so far (the `onTaskEnd` hook), in order. */
  ends: TaskEndInfo[] = [];
  private endWaiters: (() => void)[] = [];

  constructor(private readonly adapter: AdapterName) {}

  async start(options: BackgroundTasksModuleOptions = {}): Promise<void> {
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
  }

  /** Resolves once the task of that id has its outcome (from the `onTaskEnd` hook). */
  ended(id: string): Promise<TaskEndInfo> {
    const found = this.ends.find((info) => info.id === id);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.endWaiters.push(() => void this.ended(id).then(resolve)));
  }

  async post<T>(path: string): Promise<T> {
    const response = await send(`${this.running.url}${path}`, 'POST');
    expect(response.status).toBe(201);
    return JSON.parse(response.body) as T;
  }

  async status(id: string): Promise<TaskStatus | undefined> {
    const response = await send(`${this.running.url}/status/${encodeURIComponent(id)}`);
    return response.status === 404 ? undefined : (JSON.parse(response.body) as TaskStatus);
  }

  async cancel(id: string): Promise<string> {
    const response = await send(`${this.running.url}/tasks/${encodeURIComponent(id)}`, 'DELETE');
    return (JSON.parse(response.body) as { result: string }).result;
  }

  open(key: string, value?: { fail?: string; value?: unknown }): void {
    this.probe.gate<typeof value>(key).open(value);
  }

  async close(): Promise<void> {
    await this.running?.app.close();
  }
}
