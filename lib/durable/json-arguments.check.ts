/**
 * Why `args` would not arrive at a worker as they are, or `undefined` when they would: a job's data
 * travels as JSON, and anything JSON changes silently (a Date becomes a string, a Map `{}`, a class
 * instance loses its prototype, `undefined` in an array becomes `null`, `-0` becomes `0`, symbol keys
 * and an array's other properties are left out) would make the handler see other arguments than
 * in-process.
 *
 * Names the place by position only, never a key or a value (both are argument data, e-mail addresses
 * and tokens among them): `argument 2 > property 3 of 4 > item 1` is the second argument's third own
 * key (in `Object.keys` order), and the first item of the array found there.
 */
export function jsonProblem(args: readonly unknown[]): string | undefined {
  const seen = new Set<object>();
  const visit = (value: unknown, path: string, inArray: boolean): string | undefined => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        if (Object.is(value, -0)) return `${path} is -0 (JSON turns it into 0)`;
        return Number.isFinite(value) ? undefined : `${path} is ${value} (JSON turns it into null)`;
      case 'undefined':
        // A missing property stays missing; in an array JSON writes null instead.
        return inArray ? `${path} is undefined (JSON turns it into null; pass null, or leave it out)` : undefined;
      case 'bigint':
        return `${path} is a bigint (pass it as a string)`;
      case 'function':
      case 'symbol':
        return `${path} is a ${typeof value}`;
    }
    if (value === null) return undefined;
    const object = value as object;
    if (seen.has(object)) return `${path} is a circular reference`;
    const prototype = Object.getPrototypeOf(object);
    if (Object.getOwnPropertySymbols(object).length > 0) return `${path} has a symbol key (JSON leaves it out)`;
    if (Array.isArray(object)) {
      if (prototype !== Array.prototype) return `${path} is a ${prototype?.constructor?.name || 'subclass of Array'}, not a plain array`;
      const isIndex = (key: string) => String(Number(key) >>> 0) === key && Number(key) < object.length;
      if (!Object.keys(object).every(isIndex)) return `${path} is an array with other properties than its items (JSON leaves them out)`;
      seen.add(object);
      for (let i = 0; i < object.length; i++) {
        const problem = visit(object[i], `${path} > item ${i + 1}`, true);
        if (problem) return problem;
      }
      seen.delete(object);
      return undefined;
    }
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = prototype?.constructor?.name || 'an object with a prototype';
      const hint = object instanceof Date ? ' (pass date.toISOString())' : '';
      return `${path} is a ${kind}, not a plain object${hint}`;
    }
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return `${path} has a toJSON method`;
    seen.add(object);
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const problem = visit((object as Record<string, unknown>)[keys[i]], `${path} > property ${i + 1} of ${keys.length}`, false);
      if (problem) return problem;
    }
    seen.delete(object);
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const problem = visit(args[i], `argument ${i + 1}`, true);
    if (problem) return problem;
  }
  return undefined;
}
