import { HttpError } from './http-error';
import { Router } from './router';

describe('Router', () => {
  const router = new Router()
    .add('GET', '/v1/info', () => 'info')
    .add('POST', '/v1/sockets/:id/bind', () => 'bind');

  it('finds a route and its numeric ids', () => {
    const found = router.find('POST', '/v1/sockets/12/bind');
    expect(found.ids).toEqual([12]);
    expect(found.handler({ ids: [12], query: new URLSearchParams(), body: undefined })).toBe(
      'bind',
    );
  });

  it('answers 404 for an unknown path, a wrong method, and a non-numeric id', () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['DELETE', '/v1/info'],
      ['POST', '/v1/sockets/x/bind'],
    ] as const) {
      expect(() => router.find(method, path)).toThrow(HttpError);
    }
  });
});
