import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.ts';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const REASONS: Record<string, string> = {
  required: 'required',
  minLength: 'min_length',
  maxLength: 'max_length',
  minimum: 'min',
  exclusiveMinimum: 'min',
  maximum: 'max',
  exclusiveMaximum: 'max',
  minItems: 'min_items',
  maxItems: 'max_items',
  pattern: 'pattern',
  format: 'format',
  type: 'type',
  enum: 'invalid_value',
  const: 'invalid_value',
  anyOf: 'invalid_value',
  oneOf: 'invalid_value',
  uniqueItems: 'duplicate',
  multipleOf: 'multiple_of',
  additionalProperties: 'unknown_field',
};

/** `/variants/0/prices/1/amount` → `variants.0.prices.1.amount`; a missing property is appended. */
export function fieldPath(error: AjvError, prefix?: string): string {
  const parts = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string')
    parts.push(error.params.missingProperty);
  if (!parts.length && prefix) return prefix;
  return parts.join('.');
}

/** Ajv errors of one request → deduplicated field errors (a union failing reports once per field). */
export function toFieldErrors(errors: AjvError[], context?: string): FieldError[] {
  const byField = new Map<string, FieldError>();
  // Union branches produce noise: prefer the most specific error per field, skipping the anyOf summary.
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  for (const error of specific.length ? specific : errors) {
    const field = fieldPath(error, context === 'body' ? undefined : context);
    if (byField.has(field)) continue;
    byField.set(field, {
      field,
      reason: REASONS[error.keyword] ?? error.keyword,
      message: `${field || context || 'input'} ${error.message ?? 'is invalid'}`,
    });
  }
  return [...byField.values()];
}

function fromFastifyError(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  const validation = (error as FastifyError & { validation?: AjvError[]; validationContext?: string })
    .validation;
  if (validation) {
    const context = (error as { validationContext?: string }).validationContext;
    const errors = toFieldErrors(validation, context);
    const first = errors[0]!;
    return new AppError('validation_error', first.message ?? 'invalid input', {
      field: first.field,
      reason: first.reason,
      errors: errors.map(({ field, reason }) => ({ field, reason })),
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Request body is larger than the server accepts', {
        limit: null,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'This Content-Type is not supported here');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'Body cannot be empty when Content-Type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', 'Body is not valid JSON');
  }
  if (error instanceof SyntaxError || error.statusCode === 400)
    return new AppError('bad_request', error.message);
  if (error.statusCode === 404) return new AppError('not_found', error.message, { resource: 'route' });
  if (error.statusCode === 413) return new AppError('payload_too_large', error.message, { limit: null });
  if (error.statusCode === 415) return new AppError('unsupported_media_type', error.message);
  return null;
}

/** Every error leaves as an ApiError body; unknown ones as a 500 without internals. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = fromFastifyError(error);
    if (appError) {
      if (appError.code === 'payload_too_large' && appError.details?.limit === null)
        appError.details.limit = bodyLimit;
      if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      // 4xx: one line naming the code (and field), so logs show why requests are refused.
      else
        request.log.info(
          { error: appError.code, field: appError.details?.field, statusCode: appError.statusCode },
          'request rejected',
        );
      for (const [k, v] of Object.entries(appError.headers ?? {})) reply.header(k, v);
      return reply.code(appError.statusCode).send(appError.toBody(request.id));
    }
    request.log.error({ err: error }, 'unexpected error');
    const body = new AppError(
      'internal_error',
      `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    );
    return reply.code(500).send(body.toBody(request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`, {
      resource: 'route',
    });
    request.log.info({ error: err.code, statusCode: 404 }, 'request rejected');
    return reply.code(404).send(err.toBody(request.id));
  });
}
