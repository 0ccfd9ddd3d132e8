import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from '@openarky/contract';

export interface FieldError {
  field: string;
  reason: string;
  message?: string;
}

/** The one error type (STYLE habit 6): a code of the closed table, a message and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(requestId?: string): ApiErrorBody {
    return {
      error: this.code,
      message: this.message,
      status_code: this.statusCode,
      ...(requestId ? { request_id: requestId } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** 400 validation_error for one or more fields; `details.field` is the first. */
export function validationError(errors: FieldError[] | FieldError, message?: string): AppError {
  const list = Array.isArray(errors) ? errors : [errors];
  const first = list[0] ?? { field: '', reason: 'invalid' };
  return new AppError(
    'validation_error',
    message ?? first.message ?? `${first.field} is invalid (${first.reason})`,
    {
      field: first.field,
      reason: first.reason,
      errors: list,
    },
  );
}

export function notFound(resource: string, message?: string): AppError {
  return new AppError('not_found', message ?? `${resource} not found`, { resource });
}

export function forbidden(message = 'Your role does not allow this action'): AppError {
  return new AppError('forbidden', message);
}

export function unauthenticated(message = 'A valid access token or API key is required'): AppError {
  return new AppError('unauthenticated', message);
}

export function alreadyExists(field: string, message?: string): AppError {
  return new AppError('already_exists', message ?? `${field} is already taken`, { field });
}

export function inUse(reason: string, message: string): AppError {
  return new AppError('in_use', message, { reason });
}
