import { BLOCK_TYPES } from '@openarky/contract';
import type { Block, BlockFieldError } from './types.ts';
import { isRecord, REF_PATTERN } from './types.ts';
import { BLOCK_LIMITS, checkGeo, checkRange, checkText, compiles, isEmpty, isStringMap } from './checks.ts';

export { BLOCK_LIMITS };

export interface ValidateOptions {
  /** Path prefix of the list (`blocks`, `schema`, `blocks.2.value.0.blocks`). */
  path?: string;
  /** The parent collection's schema: keys in it must keep its type and obey its properties. */
  schema?: readonly Block[] | null | undefined;
  depth?: number;
  /** Field definitions (a collection `schema`, `properties.blocks`): `required` is a rule for entries, not checked here. */
  template?: boolean;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const VARIANTS = new Set(['email', 'phone_number', 'url']);
const TYPES = new Set<string>(BLOCK_TYPES);

/**
 * Checks normalized blocks (CONTRACT §8.2) and returns every failing field with its dotted path
 * (`blocks.1.value.0`, `blocks.0.value.1.fr`). Pure. An empty result means `items` are `Block[]`.
 */
export function validateBlocks(items: readonly unknown[], options: ValidateOptions = {}): BlockFieldError[] {
  const path = options.path ?? 'blocks';
  const depth = options.depth ?? 0;
  const errors: BlockFieldError[] = [];
  if (depth >= BLOCK_LIMITS.depth)
    return [
      {
        field: path,
        reason: 'max_depth',
        message: `${path}: blocks nest at most ${BLOCK_LIMITS.depth} levels`,
      },
    ];
  if (items.length > BLOCK_LIMITS.blocksPerLevel) errors.push({ field: path, reason: 'max_items' });
  const schemaByKey = new Map((options.schema ?? []).map((b) => [b.key, b]));
  const seen = new Set<string>();
  items.forEach((raw, i) => {
    const p = `${path}.${i}`;
    if (!isRecord(raw))
      return void errors.push({ field: p, reason: 'type', message: `${p} must be a block object` });
    const key = raw.key;
    if (typeof key !== 'string' || key === '') errors.push({ field: `${p}.key`, reason: 'required' });
    else if (!KEY.test(key))
      errors.push({
        field: `${p}.key`,
        reason: 'pattern',
        message: `${p}.key must be letters, digits, - or _ (at most 64)`,
      });
    else if (seen.has(key))
      errors.push({ field: `${p}.key`, reason: 'duplicate', message: `${p}.key "${key}" is used twice` });
    else seen.add(key);
    if (typeof raw.id !== 'string' || raw.id.length > 100) errors.push({ field: `${p}.id`, reason: 'type' });
    const type = raw.type;
    if (typeof type !== 'string' || !TYPES.has(type)) {
      errors.push({
        field: `${p}.type`,
        reason: 'invalid_value',
        message: `${p}.type must be one of ${BLOCK_TYPES.join(', ')}`,
      });
      return;
    }
    if (!isRecord(raw.properties)) return void errors.push({ field: `${p}.properties`, reason: 'type' });
    errors.push(...checkProperties(raw.properties, type, `${p}.properties`, depth));
    let props = raw.properties;
    const declared = typeof key === 'string' ? schemaByKey.get(key) : undefined;
    if (declared) {
      if (declared.type !== type) {
        errors.push({
          field: `${p}.type`,
          reason: 'schema_mismatch',
          message: `${p}.type must be ${declared.type} as in the collection schema`,
        });
        return;
      }
      props = { ...props, ...declared.properties };
    }
    if (!Array.isArray(raw.value)) return void errors.push({ field: `${p}.value`, reason: 'type' });
    errors.push(
      ...checkValue(
        raw.value,
        type,
        options.template ? { ...props, required: false } : props,
        `${p}.value`,
        depth,
      ),
    );
  });
  for (const declared of options.schema ?? []) {
    if (declared.properties.required === true && !seen.has(declared.key)) {
      errors.push({
        field: path,
        reason: 'required',
        message: `${path}: block "${declared.key}" is required by the collection schema`,
      });
    }
  }
  return errors;
}

function checkProperties(
  props: Record<string, unknown>,
  type: string,
  p: string,
  depth: number,
): BlockFieldError[] {
  const errors: BlockFieldError[] = [];
  for (const name of ['required', 'multiple'] as const) {
    if (props[name] !== undefined && typeof props[name] !== 'boolean')
      errors.push({ field: `${p}.${name}`, reason: 'type' });
  }
  for (const name of ['min_length', 'max_length'] as const) {
    const v = props[name];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0))
      errors.push({
        field: `${p}.${name}`,
        reason: 'type',
        message: `${p}.${name} must be a whole number ≥ 0`,
      });
  }
  for (const name of ['min', 'max'] as const) {
    if (props[name] !== undefined && (typeof props[name] !== 'number' || !Number.isFinite(props[name])))
      errors.push({ field: `${p}.${name}`, reason: 'type' });
  }
  if (props.pattern !== undefined) {
    if (
      typeof props.pattern !== 'string' ||
      props.pattern.length > BLOCK_LIMITS.patternLength ||
      !compiles(props.pattern)
    ) {
      errors.push({
        field: `${p}.pattern`,
        reason: 'pattern',
        message: `${p}.pattern must be a valid regular expression`,
      });
    }
  }
  if (
    props.variant !== undefined &&
    (type === 'text' || type === 'markdown') &&
    !VARIANTS.has(String(props.variant))
  ) {
    errors.push({
      field: `${p}.variant`,
      reason: 'invalid_value',
      message: `${p}.variant must be email, phone_number or url`,
    });
  }
  if (props.target !== undefined && props.target !== 'media' && props.target !== 'entry') {
    errors.push({
      field: `${p}.target`,
      reason: 'invalid_value',
      message: `${p}.target must be media or entry`,
    });
  }
  if (props.label !== undefined && typeof props.label !== 'string' && !isStringMap(props.label)) {
    errors.push({ field: `${p}.label`, reason: 'type' });
  }
  if (props.blocks !== undefined) {
    if (!Array.isArray(props.blocks)) errors.push({ field: `${p}.blocks`, reason: 'type' });
    else
      errors.push(...validateBlocks(props.blocks, { path: `${p}.blocks`, depth: depth + 1, template: true }));
  }
  return errors;
}

function checkValue(
  items: unknown[],
  type: string,
  props: Record<string, unknown>,
  p: string,
  depth: number,
): BlockFieldError[] {
  const errors: BlockFieldError[] = [];
  if (items.length > BLOCK_LIMITS.itemsPerBlock) errors.push({ field: p, reason: 'max_items' });
  if (props.multiple !== true && items.length > 1)
    errors.push({
      field: p,
      reason: 'max_items',
      message: `${p} holds one item unless properties.multiple is true`,
    });
  if (props.required === true && !items.some((v) => !isEmpty(v)))
    errors.push({ field: p, reason: 'required', message: `${p} is required` });
  items.forEach((item, j) => {
    const ip = `${p}.${j}`;
    switch (type) {
      case 'text':
      case 'markdown':
        if (typeof item === 'string') errors.push(...checkText(item, props, ip));
        else if (isStringMap(item)) {
          for (const [locale, text] of Object.entries(item)) {
            if (!LOCALE.test(locale)) errors.push({ field: `${ip}.${locale}`, reason: 'invalid_locale' });
            else errors.push(...checkText(text, props, `${ip}.${locale}`));
          }
        } else
          errors.push({ field: ip, reason: 'type', message: `${ip} must be a string or a localized map` });
        break;
      case 'number':
        if (typeof item !== 'number' || !Number.isFinite(item))
          errors.push({ field: ip, reason: 'type', message: `${ip} must be a number` });
        else errors.push(...checkRange(item, props, ip));
        break;
      case 'date':
        if (!Number.isInteger(item))
          errors.push({ field: ip, reason: 'type', message: `${ip} must be unix seconds` });
        else errors.push(...checkRange(item as number, props, ip));
        break;
      case 'boolean':
        if (typeof item !== 'boolean')
          errors.push({ field: ip, reason: 'type', message: `${ip} must be true or false` });
        break;
      case 'geo_location':
        errors.push(...checkGeo(item, ip));
        break;
      case 'relationship': {
        const m = typeof item === 'string' ? REF_PATTERN.exec(item) : null;
        if (!m)
          errors.push({ field: ip, reason: 'format', message: `${ip} must be "media:<id>" or "entry:<id>"` });
        else if (props.target !== undefined && m[1] !== props.target)
          errors.push({
            field: ip,
            reason: 'target',
            message: `${ip} must reference ${String(props.target)}`,
          });
        break;
      }
      case 'block':
        if (!isRecord(item) || typeof item.id !== 'string' || !Array.isArray(item.blocks)) {
          errors.push({ field: ip, reason: 'type', message: `${ip} must be { id, blocks: Block[] }` });
        } else {
          const template = Array.isArray(props.blocks) ? (props.blocks as Block[]) : undefined;
          errors.push(
            ...validateBlocks(item.blocks, { path: `${ip}.blocks`, schema: template, depth: depth + 1 }),
          );
        }
        break;
    }
  });
  return errors;
}
