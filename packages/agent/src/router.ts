import { notFound } from './http-error';

export interface RouteContext {
  /** Numeric path parameters, in order: `/sockets/:id/bind` gives [id]. */
  readonly ids: readonly number[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export type RouteHandler = (context: RouteContext) => unknown;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
}

/** A small method + path router; `:id` segments are non-negative integers. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): this {
    const pattern = new RegExp(`^${path.replace(/:id/g, '(\\d{1,9})')}$`);
    this.routes.push({ method, pattern, handler });
    return this;
  }

  find(method: string, path: string): { handler: RouteHandler; ids: number[] } {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      return { handler: route.handler, ids: match.slice(1).map(Number) };
    }
    throw notFound(pathMatched ? `${method} is not allowed on ${path}` : `no such path: ${path}`);
  }
}
