import { SetMetadata } from '@nestjs/common';
import { describeValue } from '../core/background-tasks.messages.js';

/** Metadata key under which `@BackgroundTask` stores a handler's name, on the method itself. */
export const BACKGROUND_TASK_HANDLER = 'nestjs-background-tasks:handler';

/**
 * Marks a provider method as a task handler with a stable name. Pass the method itself to `addTask`
 * (`this.tasks.addTask(this.mail.sendWelcome, email)`): it runs with its provider as `this`, in-process
 * by default, or on a BullMQ worker when durable mode covers it, where the worker finds it by this name.
 *
 * The name is what a queued job refers to: keep it stable across deployments (rename means old jobs
 * find no handler), unique in the app, and the method's arguments JSON-serializable. Handlers must live
 * on singleton providers.
 *
 * @param name for example `'email.welcome'`.
 * @publicApi
 */
export function BackgroundTask(name: string): MethodDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`@BackgroundTask() expects a non-empty handler name, but received ${describeValue(name)}.`);
  }
  return (target, key, descriptor) => {
    if (typeof descriptor?.value !== 'function') {
      throw new TypeError(`@BackgroundTask('${name}') must decorate a method, but ${String(key)} is not one.`);
    }
    SetMetadata(BACKGROUND_TASK_HANDLER, name)(target, key, descriptor);
  };
}
