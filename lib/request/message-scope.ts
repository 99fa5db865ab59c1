import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskBatch } from '../core/task-batch.js';

/** One message being handled: the batch its tasks go to, opened under the carrier's own batch. */
interface MessageSegment {
  readonly owner: TaskBatch;
  readonly segment: TaskBatch;
}

/**
 * Which message the code running now belongs to. A WebSocket gateway's `BackgroundTasks` lives as long
 * as its connection, and an RPC message may share its context with other handlers, so the instance
 * alone cannot tell which message a task belongs to; the async context the handler runs in can, even
 * with two messages of one connection in flight at once.
 */
const messages = new AsyncLocalStorage<MessageSegment>();

/** Runs `fn` (which subscribes to, or builds, the handler) as part of `segment`, a message of `owner`. */
export function runInMessage<T>(owner: TaskBatch, segment: TaskBatch, fn: () => T): T {
  return messages.run({ owner, segment }, fn);
}

/** The batch of the message being handled now, if the code runs inside one of `owner`'s messages. */
export function currentMessageOf(owner: TaskBatch): TaskBatch | undefined {
  const current = messages.getStore();
  return current !== undefined && current.owner === owner ? current.segment : undefined;
}
