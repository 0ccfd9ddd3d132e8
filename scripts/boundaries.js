// Module boundaries of packages/server/src (STYLE: "another module is reached only through its
// index.ts"). Shared by `npm run check:boundaries` and the ESLint rule `openarky/module-boundaries`.
import { dirname, relative, resolve, sep } from 'node:path';

export const SERVER_SRC = resolve(import.meta.dirname, '../packages/server/src');

/** `catalog` for `…/src/modules/catalog/…`, else null (lib, db, app, seed). */
export function moduleOf(file) {
  const rel = relative(SERVER_SRC, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts[0] === 'modules' && parts.length > 2 ? parts[1] : null;
}

/** The absolute path a relative specifier names, or null for packages. */
export function resolveImport(importer, specifier) {
  return specifier.startsWith('.') ? resolve(dirname(importer), specifier) : null;
}

/**
 * Why importing `target` from `importer` breaks a boundary, or null. `db/types.ts` may name the
 * modules' `*.table.ts` files (it assembles the Database type from them, types only).
 */
export function boundaryViolation(importer, target) {
  const to = moduleOf(target);
  if (!to) return null;
  const from = moduleOf(importer);
  if (from === to) return null;
  if (target === resolve(SERVER_SRC, 'modules', to, 'index.ts')) return null;
  if (importer === resolve(SERVER_SRC, 'db/types.ts') && target.endsWith('.table.ts')) return null;
  return `${from ? `module ${from}` : relative(SERVER_SRC, importer)} reaches into ${relative(SERVER_SRC, target)}; import ../${to}/index.ts instead`;
}
