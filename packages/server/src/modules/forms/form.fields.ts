import { FORM_FIELD_TYPES, KEY_PATTERN, type FormFieldType, type FormSchemaField } from '@openarky/contract';
import type { FieldError } from '../../lib/errors.ts';

/** Pure rules of form schemas and submissions (CONTRACT §8.3): no I/O, table-tested. */

export interface SchemaFieldInput {
  id?: string | undefined;
  key: string;
  type: string;
  label?: unknown;
  required?: boolean | undefined;
  min?: number | null | undefined;
  max?: number | null | undefined;
  options?: (string | { value: string; label?: unknown })[] | null | undefined;
  variant?: string | null | undefined;
}

export interface SubmittedField {
  id?: string | undefined;
  key: string;
  type?: string | undefined;
  value?: unknown;
}

export interface SubmissionField {
  id: string;
  key: string;
  type: FormFieldType;
  value: unknown;
}

const KEY = new RegExp(KEY_PATTERN);
const TYPES = new Set<string>(FORM_FIELD_TYPES);
const VARIANTS = new Set(['email', 'phone_number', 'url']);
/** Dates are unix seconds in [0, 2^32) (CONTRACT §1.1 bounds). */
const MAX_TIME = 2 ** 32;
const MAX_TEXT = 10_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{4,30}$/;

/** Normalizes and checks a form schema; every problem is reported with its `schema.N.…` path. */
export function checkFormSchema(
  input: SchemaFieldInput[],
  newId: () => string,
  path = 'schema',
): { schema: FormSchemaField[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  const schema: FormSchemaField[] = [];
  input.forEach((f, i) => {
    const at = `${path}.${i}`;
    const type = f.type.trim().toLowerCase();
    if (!TYPES.has(type)) {
      errors.push({
        field: `${at}.type`,
        reason: 'invalid_value',
        message: `${at}.type must be one of ${FORM_FIELD_TYPES.join(', ')}`,
      });
      return;
    }
    if (!KEY.test(f.key))
      errors.push({ field: `${at}.key`, reason: 'pattern', message: `${at}.key must be a slug` });
    else if (seen.has(f.key))
      errors.push({ field: `${at}.key`, reason: 'duplicate', message: `${at}.key ${f.key} is used twice` });
    seen.add(f.key);
    const id = f.id ?? newId();
    if (ids.has(id)) errors.push({ field: `${at}.id`, reason: 'duplicate' });
    ids.add(id);
    const field: FormSchemaField = { id, key: f.key, type: type as FormFieldType };
    if (f.label !== undefined) field.label = f.label;
    if (f.required !== undefined) field.required = f.required;
    const bounded = type === 'text' || type === 'number' || type === 'date';
    for (const side of ['min', 'max'] as const) {
      const v = f[side];
      if (v === undefined || v === null) continue;
      if (!bounded)
        errors.push({
          field: `${at}.${side}`,
          reason: 'not_allowed',
          message: `${side} applies to text, number and date fields`,
        });
      else if (!Number.isFinite(v) || (type !== 'number' && (!Number.isInteger(v) || v < 0)))
        errors.push({ field: `${at}.${side}`, reason: 'invalid_value' });
      else field[side] = v;
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max)
      errors.push({
        field: `${at}.max`,
        reason: 'min_greater_than_max',
        message: `${at}: min is greater than max`,
      });
    if (type === 'select') {
      const options = f.options ?? [];
      if (!options.length)
        errors.push({
          field: `${at}.options`,
          reason: 'required',
          message: `${at}.options: a select needs options`,
        });
      const values = new Set<string>();
      options.forEach((o, j) => {
        const value = typeof o === 'string' ? o : o.value;
        if (values.has(value)) errors.push({ field: `${at}.options.${j}`, reason: 'duplicate' });
        values.add(value);
      });
      field.options = options;
    } else if (f.options?.length) {
      errors.push({
        field: `${at}.options`,
        reason: 'not_allowed',
        message: 'options apply to select fields',
      });
    }
    if (f.variant !== undefined && f.variant !== null) {
      const variant = f.variant.toLowerCase();
      if (type !== 'text' || !VARIANTS.has(variant))
        errors.push({ field: `${at}.variant`, reason: 'invalid_value' });
      else field.variant = variant as 'email' | 'phone_number' | 'url';
    }
    schema.push(field);
  });
  return { schema, errors };
}

const optionValue = (o: string | { value: string }) => (typeof o === 'string' ? o : o.value);
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The error reason for one value against its schema field, or null when it is valid. */
export function checkValue(
  field: FormSchemaField,
  value: unknown,
): { reason: string; message: string } | null {
  const fail = (reason: string, message: string) => ({ reason, message: `${field.key}: ${message}` });
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string') return fail('type', 'must be a string');
      if (value.includes('\0')) return fail('invalid_value', 'must not contain NUL');
      const length = [...value].length;
      if (length > MAX_TEXT) return fail('max_length', `must be at most ${MAX_TEXT} characters`);
      if (field.min !== undefined && length < field.min)
        return fail('min_length', `must be at least ${field.min} characters`);
      if (field.max !== undefined && length > field.max)
        return fail('max_length', `must be at most ${field.max} characters`);
      if (field.variant === 'email' && !EMAIL.test(value.trim()))
        return fail('format', 'must be an email address');
      if (field.variant === 'phone_number' && !PHONE.test(value.trim()))
        return fail('format', 'must be a phone number');
      if (field.variant === 'url' && !/^https?:\/\/[^\s]+$/i.test(value.trim()))
        return fail('format', 'must be an http(s) URL');
      return null;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('type', 'must be a number');
      if (field.min !== undefined && value < field.min) return fail('min', `must be at least ${field.min}`);
      if (field.max !== undefined && value > field.max) return fail('max', `must be at most ${field.max}`);
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : fail('type', 'must be true or false');
    case 'date':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= MAX_TIME)
        return fail('type', 'must be a unix time in seconds');
      if (field.min !== undefined && value < field.min)
        return fail('min', `must be at or after ${field.min}`);
      if (field.max !== undefined && value > field.max)
        return fail('max', `must be at or before ${field.max}`);
      return null;
    case 'geo_location': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail('type', 'must be { address?, label?, coordinates }');
      const v = value as Record<string, unknown>;
      for (const k of ['address', 'label'] as const)
        if (
          v[k] !== undefined &&
          v[k] !== null &&
          (typeof v[k] !== 'string' || (v[k] as string).length > 500)
        )
          return fail('type', `${k} must be a string`);
      const c = v.coordinates;
      if (c === null || c === undefined) return null;
      if (typeof c !== 'object' || Array.isArray(c)) return fail('type', 'coordinates must be { lat, lon }');
      const { lat, lon } = c as Record<string, unknown>;
      if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)
        return fail('out_of_range', 'lat must be in [-90, 90]');
      if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180)
        return fail('out_of_range', 'lon must be in [-180, 180]');
      return null;
    }
    case 'select':
      if (typeof value !== 'string') return fail('type', 'must be one of the options');
      return (field.options ?? []).some((o) => optionValue(o) === value)
        ? null
        : fail('invalid_option', `${JSON.stringify(value.slice(0, 100))} is not one of the options`);
  }
}

/** Normalized value kept in storage (geo locations keep only their known keys). */
function storedValue(field: FormSchemaField, value: unknown): unknown {
  if (field.type === 'text' && typeof value === 'string')
    return field.variant === 'email' ? value.trim().toLowerCase() : value;
  if (field.type !== 'geo_location' || value === null || value === undefined) return value;
  const v = value as Record<string, unknown>;
  const c = v.coordinates as { lat: number; lon: number } | null | undefined;
  return {
    ...(typeof v.address === 'string' ? { address: v.address } : {}),
    ...(typeof v.label === 'string' ? { label: v.label } : {}),
    coordinates: c ? { lat: c.lat, lon: c.lon } : null,
  };
}

/**
 * Validates submitted fields against the schema: unknown keys, duplicates, wrong types, values out
 * of range and options not listed are reported at `fields.N.value`; a missing required field at
 * `fields` naming its key. Returns the stored fields in schema order.
 */
export function validateSubmission(
  schema: FormSchemaField[],
  submitted: SubmittedField[],
): { fields: SubmissionField[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byKey = new Map(schema.map((f) => [f.key, f]));
  const given = new Map<string, unknown>();
  submitted.forEach((s, i) => {
    const at = `fields.${i}.value`;
    const field = byKey.get(s.key);
    if (!field) {
      errors.push({
        field: at,
        reason: 'unknown_field',
        message: `fields.${i}: the form has no field ${JSON.stringify(s.key.slice(0, 64))}`,
      });
      return;
    }
    if (given.has(s.key)) {
      errors.push({ field: at, reason: 'duplicate', message: `fields.${i}: ${s.key} is given twice` });
      return;
    }
    given.set(s.key, s.value);
    if (isEmpty(s.value)) {
      if (field.required) errors.push({ field: at, reason: 'required', message: `${field.key} is required` });
      return;
    }
    const problem = checkValue(field, s.value);
    if (problem) errors.push({ field: at, ...problem });
  });
  for (const field of schema) {
    if (field.required && !given.has(field.key))
      errors.push({ field: 'fields', reason: 'required', message: `${field.key} is required` });
  }
  const fields = schema
    .filter((f) => given.has(f.key))
    .map((f) => {
      const v = given.get(f.key);
      return { id: f.id, key: f.key, type: f.type, value: isEmpty(v) ? null : storedValue(f, v) };
    });
  return { fields, errors };
}

/** Lower-cased text of a submission's values (what admin `query` searches). */
export function submissionSearchText(fields: SubmissionField[]): string {
  return fields
    .map((f) =>
      typeof f.value === 'string'
        ? f.value
        : f.value && typeof f.value === 'object'
          ? JSON.stringify(f.value)
          : String(f.value ?? ''),
    )
    .join(' ')
    .toLowerCase()
    .slice(0, 20_000);
}
