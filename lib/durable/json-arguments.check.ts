/**
 * Why `args` would not arrive at a worker as they are, or `undefined` when they would: a job's data
 * travels as JSON, and anything JSON changes silently (a Date becomes a string, a Map `{}`, a class
 * instance loses its prototype, `undefined` in an array becomes `null`) would make the handler see
 * other arguments than in-process. Names the path, never the value (arguments carry secrets).
 */
export function jsonProblem(args: readonly unknown[]): string | undefined {
  const seen = new Set<object>();
  const visit = (value: unknown, path: string, inArray: boolean): string | undefined => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
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
    if (Array.isArray(object)) {
      seen.add(object);
      for (let i = 0; i < object.length; i++) {
        const problem = visit(object[i], `${path}[${i}]`, true);
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
    for (const key of Object.keys(object)) {
      const problem = visit((object as Record<string, unknown>)[key], `${path}.${key}`, false);
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
