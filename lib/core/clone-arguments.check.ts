import { types } from 'node:util';

/** Built-ins that structured cloning copies as they are, contents included (walked no further). */
const CLONED_WHOLE: readonly (abstract new (...args: never[]) => object)[] = [
  Date, RegExp, Error, ArrayBuffer, Boolean, Number, String, BigInt as never,
];

/** A key as a path shows it: `.name` when it reads as a short identifier, else only its position. */
function keyStep(key: string, index: number, count: number): string {
  return /^[A-Za-z_$][\w$]{0,63}$/.test(key) ? `.${key}` : `[key ${index + 1} of ${count}]`;
}

function clonedWhole(object: object): boolean {
  if (ArrayBuffer.isView(object)) return true;
  if (typeof SharedArrayBuffer === 'function' && object instanceof SharedArrayBuffer) return true;
  return CLONED_WHOLE.some((type) => object instanceof type);
}

/**
 * Why `args` would not reach a worker thread as they are, or `undefined` when they would. They travel by
 * structured cloning: functions, symbols, promises, weak collections and proxies cannot be cloned at all
 * (the thread would fail with a DataCloneError after the response), and an instance of a class arrives
 * as a plain object without its prototype (no methods, no getters), as do symbol keys left out.
 *
 * Names the place as a path from `args` (`args[1].rows[3]`: the second argument's `rows`, its fourth
 * item), never a value. A key appears only when it reads as a short identifier (`rows`); any other key
 * (an e-mail address used as a key is data) by its position, `[key 2 of 5]`.
 */
export function cloneProblem(args: readonly unknown[]): string | undefined {
  const seen = new Set<object>();
  const visit = (value: unknown, path: string): string | undefined => {
    switch (typeof value) {
      case 'function':
        return `${path} is a function (functions cannot be sent to a thread; import what the task needs in its own module)`;
      case 'symbol':
        return `${path} is a symbol (symbols cannot be sent to a thread)`;
      case 'object':
        break;
      default:
        return undefined; // strings, numbers (NaN and -0 too), bigints, booleans, undefined
    }
    if (value === null || seen.has(value)) return undefined; // cycles are cloned as cycles
    const object = value as object;
    if (types.isProxy(object)) return `${path} is a Proxy (proxies cannot be sent to a thread)`;
    if (clonedWhole(object)) return undefined;
    if (Object.getOwnPropertySymbols(object).length > 0) return `${path} has a symbol key (a thread would not receive it)`;
    seen.add(object);
    const prototype = Object.getPrototypeOf(object);
    if (object instanceof Map || object instanceof Set) {
      if (prototype !== Map.prototype && prototype !== Set.prototype) return classProblem(path, prototype);
      let index = 0;
      for (const entry of object instanceof Map ? [...object].flat() : object) {
        const problem = visit(entry, `${path}[entry ${Math.floor(index++ / (object instanceof Map ? 2 : 1)) + 1}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (Array.isArray(object)) {
      if (prototype !== Array.prototype) return classProblem(path, prototype);
      for (let i = 0; i < object.length; i++) {
        const problem = visit(object[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (prototype !== Object.prototype && prototype !== null) return classProblem(path, prototype);
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const problem = visit((object as Record<string, unknown>)[keys[i]], `${path}${keyStep(keys[i], i, keys.length)}`);
      if (problem) return problem;
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const problem = visit(args[i], `args[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** A promise, a weak collection, or an instance of a class: what cloning does to it. */
function classProblem(path: string, prototype: { constructor?: { name?: string } } | null): string {
  const name = prototype?.constructor?.name || 'a class';
  if (name === 'Promise' || name === 'WeakMap' || name === 'WeakSet' || name === 'WeakRef') {
    return `${path} is a ${name} (it cannot be sent to a thread)`;
  }
  return `${path} is an instance of ${name} (a thread would receive a plain object, without its prototype, methods or getters; pass plain data)`;
}
