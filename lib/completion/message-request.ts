import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/**
 * What a message's batch (RPC, WebSocket) knows of the message it belongs to, for log lines and hooks:
 * `{ method: 'WS', route: '<event>' }` or `{ method: 'RPC', route: '<pattern>' }`. Never the payload.
 */
export class MessageRequest {
  constructor(readonly info: TaskRequestInfo) {}
}
