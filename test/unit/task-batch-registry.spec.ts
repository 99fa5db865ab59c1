import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { findBatch, registerBatch } from '../../lib/request/task-batch.registry.js';
import type { TaskBatch } from '../../lib/core/task-batch.js';

const batch = (id: string) => ({ id }) as unknown as TaskBatch;

describe('task batch registry: a carrier leads to its batch', () => {
  it('keeps the batch on an extensible carrier, hidden from keys and JSON', () => {
    const req = new IncomingMessage(new Socket());
    const context = { pattern: 'sum' };
    expect(findBatch(req)).toBeUndefined();
    expect(findBatch(undefined)).toBeUndefined();
    registerBatch(req, batch('http'));
    registerBatch(context, batch('rpc'));
    expect(findBatch(req)).toEqual({ id: 'http' });
    expect(findBatch(context)).toEqual({ id: 'rpc' });
    expect(Object.keys(context)).toEqual(['pattern']);
    expect(JSON.stringify(context)).toBe('{"pattern":"sum"}');
  });

  it('finds the batch of a frozen carrier too, also after extensible ones were registered', () => {
    registerBatch({}, batch('before'));
    const frozen = Object.freeze({ pattern: 'frozen' });
    const sealed = Object.seal({ pattern: 'sealed' });
    expect(findBatch(frozen)).toBeUndefined();
    registerBatch(frozen, batch('frozen'));
    registerBatch(sealed, batch('sealed'));
    expect(findBatch(frozen)).toEqual({ id: 'frozen' });
    expect(findBatch(sealed)).toEqual({ id: 'sealed' });
    expect(findBatch(Object.freeze({ pattern: 'other' }))).toBeUndefined();
  });

  it('finds the batch of a Proxy carrier that refuses or ignores new properties', () => {
    const refusing = new Proxy({ pattern: 'refuses' }, { set: () => false, defineProperty: () => false });
    const ignoring = new Proxy({ pattern: 'ignores' }, { set: () => true });
    expect(() => registerBatch(refusing, batch('refusing'))).not.toThrow();
    registerBatch(ignoring, batch('ignoring'));
    expect(findBatch(refusing)).toEqual({ id: 'refusing' });
    expect(findBatch(ignoring)).toEqual({ id: 'ignoring' });
  });
});
