import { badRequest } from './http-error';

/** Reads typed fields out of an untrusted JSON body; every mismatch is a 400 naming the field. */
export class RequestFields {
  constructor(private readonly body: Record<string, unknown>) {}

  static of(body: unknown): RequestFields {
    if (body === undefined || body === null) return new RequestFields({});
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest('the request body must be a JSON object');
    }
    return new RequestFields(body as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined;
  }

  integer(name: string, min: number, max: number): number {
    const value = this.body[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badRequest(`'${name}' must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    return this.has(name) ? this.integer(name, min, max) : undefined;
  }

  boolean(name: string): boolean {
    const value = this.body[name];
    if (typeof value !== 'boolean') throw badRequest(`'${name}' must be true or false`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.has(name) ? this.boolean(name) : undefined;
  }

  string(name: string, maxLength = 4096): string {
    const value = this.body[name];
    if (typeof value !== 'string' || value.length > maxLength) {
      throw badRequest(`'${name}' must be a string of at most ${maxLength} characters`);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.body[name];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw badRequest(`'${name}' must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  stringArray(name: string, maxItems = 64): string[] {
    const value = this.body[name];
    if (value === undefined) return [];
    if (
      !Array.isArray(value) ||
      value.length > maxItems ||
      !value.every((item) => typeof item === 'string' && item.length <= 4096)
    ) {
      throw badRequest(`'${name}' must be an array of at most ${maxItems} strings`);
    }
    return value as string[];
  }

  integerArray(name: string, min: number, max: number, maxItems = 64): number[] {
    const value = this.body[name];
    if (
      !Array.isArray(value) ||
      value.length > maxItems ||
      !value.every((item) => Number.isInteger(item) && item >= min && item <= max)
    ) {
      throw badRequest(
        `'${name}' must be an array of at most ${maxItems} integers from ${min} to ${max}`,
      );
    }
    return value as number[];
  }

  object(name: string): RequestFields {
    const value = this.body[name];
    if (value === undefined) return new RequestFields({});
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw badRequest(`'${name}' must be an object`);
    }
    return new RequestFields(value as Record<string, unknown>);
  }
}
