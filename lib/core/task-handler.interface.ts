/** A `@BackgroundTask` method and the singleton it belongs to. */
export interface TaskHandler {
  readonly name: string;
  readonly instance: object;
  readonly methodName: string;
  /** `Class.method`, for messages. */
  readonly where: string;
  /** Enqueued for a worker (durable mode covers it) rather than run here. */
  readonly durable: boolean;
}
