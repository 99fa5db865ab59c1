/** One unit of work recorded by `addTask`. Internal: the public API takes a function and its arguments. */
export interface Task {
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  readonly name: string;
}
