import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { describeError } from '../core/describe-error.js';
import { TaskRunner } from '../runner/task-runner.js';
import { hasTracerProvider, loadOpenTelemetry } from './load-opentelemetry.js';
import { OpenTelemetryTaskInstrumentation } from './opentelemetry-task.instrumentation.js';

/**
 * Turns on OpenTelemetry spans for tasks at module init, when the module's `tracing` option and the
 * environment allow it (see the option). Until then, and without it, the runner has no instrumentation
 * and pays one property check per attempt.
 */
@Injectable()
export class TaskTracing implements OnModuleInit {
  constructor(private readonly runner: TaskRunner) {}

  async onModuleInit(): Promise<void> {
    const mode = this.runner.options.tracing;
    if (mode === false) return;
    const api = await loadOpenTelemetry((error) => {
      const { message } = describeError(error);
      new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT).warn(`Tracing is off: @opentelemetry/api failed to load: ${message}`);
    });
    if (api === undefined) return;
    if (mode === 'auto' && !hasTracerProvider(api)) return;
    this.runner.useInstrumentation(new OpenTelemetryTaskInstrumentation(api));
  }
}
