import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import sjson from 'secure-json-parse';
import { AppError } from '../errors.ts';

/** Deeper JSON than this is refused before it is parsed, hashed or normalized (all recursive). */
export const MAX_JSON_DEPTH = 64;

const invalid = (field: string, reason: string, message: string) =>
  new AppError('validation_error', message, { field, reason, errors: [{ field, reason }] });

/** The nesting depth of a JSON text, counted without parsing it (linear, no recursion). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** The path of the first string (or key) holding a NUL character, which PostgreSQL cannot store. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (k.includes('\0')) return at;
      const found = nulPath(v, at);
      if (found !== null) return found;
    }
  }
  return null;
}

type Validate = ((data: unknown) => unknown) & { errors?: unknown };

/**
 * Compiles a route's validator or serializer at its first use instead of at start: compiling
 * every route's schemas up front (Ajv and fast-json-stringify) was about half of the start-up CPU
 * and memory for routes a process may never serve. A schema error now shows at the route's first
 * request; every route's schemas are compiled by its tests.
 */
function lazyValidator(compile: () => Validate): Validate {
  let fn: Validate | undefined;
  const validate: Validate = (data) => {
    fn ??= compile();
    const result = fn(data);
    validate.errors = fn.errors;
    return result;
  };
  return validate;
}

/**
 * Bodies are validated without type coercion (CONTRACT §1.1 v1.1: `null` stays null, `"5"` is not
 * a number), while query strings, path parameters and headers, which are text on the wire, are
 * still coerced. Two Ajv instances, chosen per HTTP part. Validators and serializers are compiled
 * lazily (see `lazyValidator`).
 */
export const validatorCompilers: NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
> = {
  buildValidator: (externalSchemas, ajvOptions) => {
    const options = ajvOptions as { customOptions?: Record<string, unknown>; plugins?: unknown[] };
    const coercing = AjvCompiler()(
      externalSchemas as never,
      { customOptions: options.customOptions ?? {}, plugins: options.plugins ?? [] } as never,
    );
    const strict = AjvCompiler()(
      externalSchemas as never,
      {
        customOptions: { ...options.customOptions, coerceTypes: false },
        plugins: options.plugins ?? [],
      } as never,
    );
    return (route: { httpPart?: string }) =>
      lazyValidator(() =>
        route.httpPart === 'body' ? strict(route as never) : (coercing(route as never) as Validate),
      ) as never;
  },
  buildSerializer: (externalSchemas, serializerOptions) => {
    const compiler = SerializerSelector()(externalSchemas as never, serializerOptions as never);
    return (route: unknown) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) => (serialize ??= compiler(route as never) as (data: unknown) => string)(data);
    };
  },
};

/**
 * Central input hygiene, so whole classes of bad input answer 400 with a field instead of 500:
 * - JSON bodies: an empty body is no body whatever the Content-Type (the 0.9.x client sends
 *   `Content-Type: application/json` on every DELETE), nesting beyond MAX_JSON_DEPTH is refused
 *   before parsing, `__proto__`/`constructor` keys are refused, and no string may hold NUL;
 * - path parameters and query values may not hold NUL either.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const body = text as string;
    if (body.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH))
      return done(invalid('body', 'max_depth', `body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    let parsed: unknown;
    try {
      parsed = sjson.parse(body, null, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(new AppError('bad_request', 'Body is not valid JSON'));
    }
    const at = nulPath(parsed);
    if (at !== null)
      return done(
        invalid(at || 'body', 'invalid_character', `${at || 'body'} must not contain a NUL character`),
      );
    done(null, parsed);
  });

  // onRequest (routing has parsed params and query by then), before authentication reads them.
  app.addHook('onRequest', (request, _reply, done) => {
    for (const [part, values] of [
      ['params', request.params],
      ['query', request.query],
    ] as const) {
      const at = nulPath(values);
      if (at !== null)
        return done(
          invalid(at || part, 'invalid_character', `${at || part} must not contain a NUL character`),
        );
    }
    done();
  });
}
