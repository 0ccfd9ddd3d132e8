/** The stand-in's object store as each resource handler sees it (one Stripe account per secret key). */

export type Obj = Record<string, any>;
export type Reply = [number, unknown];
/** A stored object and the account (secret key) that owns it. */
export type Owned = Obj & { _account: string };

export interface Objects {
  /** The stand-in's base URL (Checkout and portal URLs point at it). */
  readonly url: string;
  now(): number;
  id(prefix: string): string;
  create(account: string, prefix: string, object: string, fields: Obj): Owned;
  /** The object if `account` owns it and it has type `object`. */
  owned(account: string, id: string, object: string): Owned | undefined;
  /** The object whatever its account; throws when missing (for the stand-in's own actions). */
  must(id: string, object: string): Owned;
  read(account: string, id: string, object: string): Reply;
  /** A copy without the stand-in's `_` fields, as the API shows it. */
  public(o: Obj): Obj;
  /** Objects of one type of every account. */
  list(object: string): Obj[];
}

/** One API operation: `(objects, account, form params, path id)` → status and body. */
export type Handler = (objects: Objects, account: string, p: Obj, id: string) => Reply;
/** Operations by `METHOD resource[/:id][/action]`, e.g. `POST payment_intents/:id/cancel`. */
export type Routes = Readonly<Record<string, Handler>>;

export function err(
  status: number,
  type: string,
  message: string,
  param?: string,
  code?: string,
  extra: Obj = {},
): Reply {
  return [
    status,
    { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}), ...extra } },
  ];
}

export function missing(id: string, param?: string): Reply {
  return err(
    404,
    'invalid_request_error',
    `No such ${param ?? 'object'}: '${id}'`,
    param ?? 'id',
    'resource_missing',
  );
}

/**
 * Stripe's form encoding: `a[b][c]=v` nests objects, numeric segments (`line_items[0][price]`)
 * build arrays, `expand[]=x` appends. Values stay strings, as Stripe receives them.
 */
export function parseForm(raw: string): Obj {
  // Null-prototype objects: a key such as `constructor` or `__proto__` is plain data here.
  const out: Obj = Object.create(null);
  for (const [rawKey, value] of new URLSearchParams(raw)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node: Obj = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(parts[i + 1]!);
      const key: string | number = Array.isArray(node) ? (part === '' ? node.length : Number(part)) : part;
      if (last) (node as Obj)[key] = value;
      else {
        (node as Obj)[key] ??= nextIsIndex ? [] : Object.create(null);
        node = (node as Obj)[key];
      }
    });
  }
  return out;
}
