/**
 * Schema-driven input normalization (CONTRACT §1.1, §2.5), run before validation:
 * - a key that is not a property of its object schema is renamed to the property it aliases:
 *   its snake_case form (`isNetwork` → `is_network`) or a name listed in the property's
 *   `x-aliases`. Keys of free-form maps (headers, metadata, localized text) are never touched,
 *   because their schemas have no named properties;
 * - string enums match case-insensitively (`ACTIVE` → `active`);
 * - query arrays arrive JSON-encoded (`["a","b"]`), comma-separated or repeated.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema & { 'x-aliases'?: string[] }>;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
};

export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

function enumValues(schema: Schema): string[] | null {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string'))
    return schema.enum as string[];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length && branches.every((b) => typeof b.const === 'string' || b.type === 'null')) {
    return branches.filter((b) => typeof b.const === 'string').map((b) => b.const as string);
  }
  return null;
}

function objectBranches(schema: Schema): Schema[] {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return branches.flatMap(objectBranches);
  return schema.properties ? [schema] : [];
}

function renameAliases(
  obj: Record<string, unknown>,
  properties: Record<string, Schema & { 'x-aliases'?: string[] }>,
) {
  const aliasTo = new Map<string, string>();
  for (const [name, prop] of Object.entries(properties)) {
    for (const alias of prop['x-aliases'] ?? []) aliasTo.set(alias, name);
  }
  for (const key of Object.keys(obj)) {
    if (key in properties) continue;
    const target = aliasTo.get(key) ?? snakeCase(key);
    if (target !== key && target in properties && !(target in obj)) {
      obj[target] = obj[key];
      delete obj[key];
    }
  }
}

export function normalizeInput(schema: Schema | undefined, data: unknown): unknown {
  if (!schema || data === null || data === undefined) return data;

  const values = enumValues(schema);
  if (values && typeof data === 'string') {
    if (values.includes(data)) return data;
    const lower = data.toLowerCase();
    return values.find((v) => v.toLowerCase() === lower) ?? data;
  }

  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('array') && schema.items) {
    let list: unknown = data;
    if (typeof list === 'string') list = parseQueryArray(list);
    if (Array.isArray(list)) return list.map((item) => normalizeInput(schema.items, item));
    return list;
  }

  if (typeof data !== 'object' || Array.isArray(data)) {
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches && typeof data === 'string') {
      const arrayBranch = branches.find((b) => b.type === 'array');
      if (arrayBranch) return normalizeInput(arrayBranch, data);
    }
    return data;
  }

  const obj = data as Record<string, unknown>;
  for (const branch of objectBranches(schema)) {
    renameAliases(obj, branch.properties!);
    for (const [name, prop] of Object.entries(branch.properties!)) {
      if (name in obj) obj[name] = normalizeInput(prop, obj[name]);
    }
  }
  const valueSchema =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const patternSchema = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
  const mapValues = valueSchema ?? patternSchema;
  if (mapValues && !schema.properties) {
    for (const key of Object.keys(obj)) obj[key] = normalizeInput(mapValues, obj[key]);
  }
  return obj;
}

function parseQueryArray(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
}
