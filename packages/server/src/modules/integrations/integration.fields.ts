import type { Config } from '../../config.ts';
import { validationError, type FieldError } from '../../lib/errors.ts';
import { snakeCase } from '../../lib/http/normalize.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { checkOutboundUrl, OutboundError } from '../../lib/outbound.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { isCurrency } from '../platform/index.ts';
import { providerDef, type FieldDef, type ProviderDef } from './integration.registry.ts';
import type { IntegrationTable } from './integration.table.ts';

export type Fields = Record<string, unknown>;

/** A provider split into readable fields and write-only secrets. */
export interface SplitProvider {
  def: ProviderDef;
  config: Fields;
  secrets: Record<string, string>;
}

export function requireDef(type: unknown): ProviderDef {
  const def = typeof type === 'string' ? providerDef(type.trim().toLowerCase()) : undefined;
  if (!def)
    throw validationError({
      field: 'provider.type',
      reason: 'invalid_value',
      message: 'provider.type is not a known integration type (see GET /v1/platform/integration-services)',
    });
  return def;
}

/**
 * Checks one field's value; the message names the field and the rule, never the value (secrets
 * must not reach an error message).
 */
async function checkField(
  f: FieldDef,
  value: unknown,
  policy: Config,
): Promise<{ value: unknown } | FieldError> {
  const field = `provider.${f.name}`;
  switch (f.kind) {
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : { field, reason: 'type', message: `${field} must be a boolean` };
    case 'integer':
      return Number.isInteger(value)
        ? { value }
        : { field, reason: 'type', message: `${field} must be a whole number` };
    case 'string[]': {
      const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
      if (
        !Array.isArray(list) ||
        !list.every((s) => typeof s === 'string' && s.length <= 500) ||
        list.length > 100
      ) {
        return { field, reason: 'type', message: `${field} must be a list of strings` };
      }
      return { value: list };
    }
    default: {
      if (typeof value !== 'string' || !value.trim())
        return {
          field,
          reason: typeof value === 'string' ? 'min_length' : 'type',
          message: `${field} must be a non-empty string`,
        };
      if (value.length > 4096) return { field, reason: 'max_length', message: `${field} is too long` };
      const text = value.trim();
      if (f.kind === 'currency') {
        return isCurrency(text)
          ? { value: text.toUpperCase() }
          : { field, reason: 'invalid_value', message: `${field} must be an ISO 4217 currency code` };
      }
      if (f.kind === 'url') {
        try {
          await checkOutboundUrl(text, policy, { requireResolution: false });
        } catch (error) {
          if (error instanceof OutboundError)
            return { field, reason: error.reason, message: `${field}: ${error.message}` };
          throw error;
        }
      }
      return { value: text };
    }
  }
}

/**
 * Validates `input` (snake_case or camelCase keys) against the type's fields, merged over `base`
 * (same-type update: omitted fields, secrets included, keep their value). Unknown and OAuth-only
 * fields are ignored. Throws one validation_error listing every failing field.
 */
export async function validateProvider(
  def: ProviderDef,
  input: Fields,
  base: SplitProvider | null,
  policy: Config,
): Promise<SplitProvider> {
  const given = new Map(Object.entries(input).map(([k, v]) => [snakeCase(k), v] as const));
  const config: Fields = { ...(base?.config ?? {}) };
  const secrets: Record<string, string> = { ...(base?.secrets ?? {}) };
  const errors: FieldError[] = [];
  for (const f of def.fields) {
    if (f.oauth) continue;
    const value = given.get(f.name);
    if (value === undefined || value === null) {
      const present = f.secret ? secrets[f.name] !== undefined : config[f.name] !== undefined;
      if (f.required && !present)
        errors.push({
          field: `provider.${f.name}`,
          reason: 'required',
          message: `provider.${f.name} is required for ${def.type}`,
        });
      continue;
    }
    const checked = await checkField(f, value, policy);
    if ('field' in checked) errors.push(checked);
    else if (f.secret) secrets[f.name] = checked.value as string;
    else config[f.name] = checked.value;
  }
  if (errors.length) throw validationError(errors);
  return { def, config, secrets };
}

/** Splits a stored row back into fields (unsealing the secrets). */
export function readRow(
  row: Pick<IntegrationTable, 'type' | 'config' | 'secrets_sealed'>,
  config: Config,
): SplitProvider {
  return {
    def: requireDef(row.type),
    config: fromJson<Fields>(row.config, {}),
    secrets: row.secrets_sealed
      ? fromJson<Record<string, string>>(unseal(config, row.secrets_sealed), {})
      : {},
  };
}

/** Columns for a provider: readable fields as JSON, secrets sealed together with the key id. */
export function toColumns(p: SplitProvider, config: Config) {
  const hasSecrets = Object.keys(p.secrets).length > 0;
  return {
    type: p.def.type,
    category: p.def.category,
    config: toJson(p.config),
    secrets_sealed: hasSecrets ? seal(config, toJson(p.secrets)) : null,
    key_id: hasSecrets ? config.encryptionKeyId : null,
  };
}
