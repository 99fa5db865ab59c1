import { jest } from '@jest/globals';
import { ContextIdFactory } from '@nestjs/core';

/**
 * Runs `exercise` and checks that nothing created a request context id meanwhile: the interceptor must
 * not make routes that never use tasks pay for request scope.
 */
export async function expectNoContextIds(exercise: () => Promise<void>): Promise<void> {
  const create = jest.spyOn(ContextIdFactory, 'create');
  const byRequest = jest.spyOn(ContextIdFactory, 'getByRequest');
  try {
    await exercise();
    expect(create).not.toHaveBeenCalled();
    expect(byRequest).not.toHaveBeenCalled();
  } finally {
    create.mockRestore();
    byRequest.mockRestore();
  }
}
