import { errnoHint, errnoName } from './errno';
import { SocketError } from './socket-error';

describe('errno names', () => {
  it("names Linux's socket errnos", () => {
    expect(errnoName(98)).toBe('EADDRINUSE');
    expect(errnoName(99)).toBe('EADDRNOTAVAIL');
    expect(errnoName(104)).toBe('ECONNRESET');
    expect(errnoName(111)).toBe('ECONNREFUSED');
  });

  it('falls back to the number for an unknown errno', () => {
    expect(errnoName(4242)).toBe('E4242');
  });

  it('gives a hint for the errors these scenarios meet', () => {
    expect(errnoHint('EADDRINUSE')).toMatch(/TIME_WAIT/);
    expect(errnoHint('ENOSUCHTHING')).toBeUndefined();
  });
});

describe('SocketError', () => {
  it('carries the errno name, the number, the call and the hint', () => {
    const error = new SocketError('bind', 98, '0.0.0.0:8080', 'Address already in use');
    expect(error).toMatchObject({ code: 'EADDRINUSE', errno: 98, syscall: 'bind' });
    expect(error.hint).toBe(errnoHint('EADDRINUSE'));
    expect(error.message.startsWith('bind(0.0.0.0:8080) failed: EADDRINUSE')).toBe(true);
  });
});
