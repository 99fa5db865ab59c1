import { jsonProblem } from '../../lib/durable/json-arguments.check.js';

/** What may travel to a worker as job data: exactly what JSON gives back unchanged. */
describe('jsonProblem', () => {
  it.each([
    [[]],
    [['a', 1, -0.5, true, false, null]],
    [[{ nested: { list: [1, { deep: 'x' }], none: null } }]],
    [[Object.assign(Object.create(null), { bare: 1 })]],
    // A missing property reads back as missing: `undefined` values of object properties are fine.
    [[{ optional: undefined }]],
    // The same object twice is not a cycle.
    [(() => { const shared = { n: 1 }; return [shared, { again: shared }]; })()],
  ])('accepts %j', (args) => {
    expect(jsonProblem(args)).toBeUndefined();
  });

  it.each([
    [[1, undefined], 'argument 2 is undefined (JSON turns it into null; pass null, or leave it out)'],
    [[[1, , 3]], 'argument 1 > item 2 is undefined (JSON turns it into null; pass null, or leave it out)'],
    [[{ when: new Date(0) }], 'argument 1 > property 1 of 1 is a Date, not a plain object (pass date.toISOString())'],
    [[new Set([1])], 'argument 1 is a Set, not a plain object'],
    [[{ n: Infinity }], 'argument 1 > property 1 of 1 is Infinity (JSON turns it into null)'],
    [[Symbol('s')], 'argument 1 is a symbol'],
    [[{ toJSON: () => 'x' }], 'argument 1 has a toJSON method'],
    [[Buffer.from('x')], 'argument 1 is a Buffer, not a plain object'],
    [[-0], 'argument 1 is -0 (JSON turns it into 0)'],
    [[{ a: { b: -0 } }], 'argument 1 > property 1 of 1 > property 1 of 1 is -0 (JSON turns it into 0)'],
    [[{ [Symbol('k')]: 1 }], 'argument 1 has a symbol key (JSON leaves it out)'],
    [[Object.assign([1, 2], { extra: true })], 'argument 1 is an array with other properties than its items (JSON leaves them out)'],
    [[Object.assign([1, , 3], { extra: true })], 'argument 1 is an array with other properties than its items (JSON leaves them out)'],
    [[new (class List extends Array {})()], 'argument 1 is a List, not a plain array'],
  ])('refuses %p: %s', (args, problem) => {
    expect(jsonProblem(args as unknown[])).toBe(problem);
  });

  it('names the path of a cycle', () => {
    const list: unknown[] = [];
    list.push(list);
    expect(jsonProblem([list])).toBe('argument 1 > item 1 is a circular reference');
  });

  it('never shows a key or a value: keys are argument data', () => {
    const problem = jsonProblem([{ 'alice.secret@example.com': { token: new Date(0) } }]);
    expect(problem).toBe('argument 1 > property 1 of 1 > property 1 of 1 is a Date, not a plain object (pass date.toISOString())');
  });
});
