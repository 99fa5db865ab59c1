import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { describeError } from '../core/describe-error.js';
import type { TaskEndInfo } from '../interfaces/task-info.interface.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskOwner } from '../core/task-owner.interface.js';
import type { TaskInstrumentation } from '../runner/task-instrumentation.interface.js';
import type { OpenTelemetryApi } from './load-opentelemetry.js';

/** Name of the tracer the spans come from. */
export const TRACER_NAME = 'nestjs-background-tasks';

/**
 * One span per task, from its first attempt to its outcome, with the task's attempts inside it. The
 * span starts a trace of its own and *links* to the request's span: the task runs after the response,
 * so it is not part of the request's duration, but the link keeps them together. Inside the task the
 * span is active, so the task's own spans (database, HTTP) are its children.
 */
export class OpenTelemetryTaskInstrumentation implements TaskInstrumentation {
  private readonly tracer: Tracer;
  private readonly spans = new WeakMap<ScheduledTask, Span>();

  constructor(private readonly api: OpenTelemetryApi) {
    this.tracer = api.trace.getTracer(TRACER_NAME);
  }

  around<R>(task: ScheduledTask, batch: TaskOwner, run: () => R): R {
    const { context, trace } = this.api;
    // Called inside the task's async context: the active context is the request's, as it was at addTask.
    const active = context.active();
    let span = this.spans.get(task);
    if (span === undefined) {
      span = this.start(task, batch, active);
      this.spans.set(task, span);
    } else {
      span.addEvent('retry', { 'background_task.attempt': task.attempt });
    }
    span.setAttribute('background_task.attempt', task.attempt);
    return context.with(trace.setSpan(active, span), run);
  }

  ended(task: ScheduledTask, info: TaskEndInfo): void {
    const span = this.spans.get(task);
    if (span === undefined) return;
    this.spans.delete(task);
    span.setAttributes({
      'background_task.outcome': info.outcome,
      'background_task.attempt': info.attempt,
      'background_task.duration_ms': info.durationMs,
    });
    if (info.outcome !== 'succeeded') {
      const message = info.outcome === 'failed' ? describeError(info.error).message : (info.reason ?? info.outcome);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message });
      if (info.error instanceof Error) span.recordException(info.error);
    }
    span.end();
  }

  private start(task: ScheduledTask, batch: TaskOwner, active: ReturnType<OpenTelemetryApi['context']['active']>): Span {
    const { trace, SpanKind } = this.api;
    const parent = trace.getSpanContext(active);
    const request = batch.requestInfo();
    const attributes: Attributes = {
      'background_task.id': task.id,
      'background_task.name': task.name,
      'background_task.max_attempts': task.options.retries + 1,
    };
    if (task.options.after !== undefined) attributes['background_task.after'] = task.options.after.map((handle) => handle.id);
    if (request?.method) attributes['http.request.method'] = request.method;
    if (request?.route) attributes['http.route'] = request.route;
    return this.tracer.startSpan(
      `background-task ${task.name}`,
      {
        root: true,
        kind: SpanKind.INTERNAL,
        attributes,
        links: parent && trace.isSpanContextValid(parent) ? [{ context: parent }] : [],
      },
      active,
    );
  }
}
