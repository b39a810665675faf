import { HttpError } from './http-error';
import { RequestFields } from './request-fields';

function refusal(read: () => unknown): HttpError {
  try {
    read();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RequestFields', () => {
  it('reads an integer within its range', () => {
    expect(RequestFields.of({ port: 8080 }).integer('port', 0, 65535)).toBe(8080);
  });

  it('refuses a missing, fractional, out-of-range or textual integer with a 400', () => {
    for (const port of [undefined, 1.5, 70000, '80']) {
      expect(refusal(() => RequestFields.of({ port }).integer('port', 0, 65535)).status).toBe(400);
    }
  });

  it('refuses a body that is not a JSON object', () => {
    expect(refusal(() => RequestFields.of([1, 2])).code).toBe('bad-request');
    expect(refusal(() => RequestFields.of('text')).code).toBe('bad-request');
  });

  it('treats no body as an empty object', () => {
    expect(RequestFields.of(undefined).has('anything')).toBe(false);
  });

  it('reads one of a fixed set of words, and nothing else', () => {
    expect(RequestFields.of({ how: 'write' }).oneOf('how', ['read', 'write'])).toBe('write');
    expect(
      refusal(() => RequestFields.of({ how: 'sideways' }).oneOf('how', ['read', 'write'])).status,
    ).toBe(400);
  });

  it('reads string arrays and refuses mixed ones', () => {
    expect(RequestFields.of({ args: ['8080', '--no-accept'] }).stringArray('args')).toEqual([
      '8080',
      '--no-accept',
    ]);
    expect(RequestFields.of({}).stringArray('args')).toEqual([]);
    expect(refusal(() => RequestFields.of({ args: ['a', 1] }).stringArray('args')).status).toBe(
      400,
    );
  });

  it('reads integer arrays and refuses anything else in them', () => {
    expect(RequestFields.of({ ids: [3, 1] }).integerArray('ids', 1, 9)).toEqual([3, 1]);
    expect(
      refusal(() => RequestFields.of({ ids: [1, '2'] }).integerArray('ids', 1, 9)).status,
    ).toBe(400);
    expect(refusal(() => RequestFields.of({ ids: [0] }).integerArray('ids', 1, 9)).status).toBe(
      400,
    );
  });

  it('reads nested objects', () => {
    const linger = RequestFields.of({ linger: { enabled: true, seconds: 0 } }).object('linger');
    expect(linger.boolean('enabled')).toBe(true);
    expect(linger.integer('seconds', 0, 10)).toBe(0);
    expect(refusal(() => RequestFields.of({ linger: 3 }).object('linger')).status).toBe(400);
  });
});
