import type { FactoryProvider } from '@nestjs/common';
import { TaskRunner } from '../runner/task-runner.js';
import { TaskTestHarness } from './task-test-harness.js';

/** Token of the testing kit's harness installed by the `testMode` option; null in production. */
export const TEST_MODE_HARNESS = Symbol('nestjs-background-tasks:test-mode-harness');

/**
 * Installs the testing kit on the runner at startup when the module's `testMode` is `'inline'` or
 * `'record'`; with the default `'background'` nothing is installed and the runner runs as in production.
 */
export const testModeProvider: FactoryProvider<TaskTestHarness | null> = {
  provide: TEST_MODE_HARNESS,
  inject: [TaskRunner],
  useFactory: (runner: TaskRunner) => (runner.options.testMode === 'background' ? null : TaskTestHarness.of(runner)),
};
