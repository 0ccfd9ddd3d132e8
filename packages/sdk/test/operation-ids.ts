import type { SdkOperation } from './sdk-operations.ts';

/** The documented operation (`METHOD /path/{param}`) an SDK request hits: the most specific match. */
export function documentedRoute(
  op: Pick<SdkOperation, 'method' | 'path'>,
  routes: readonly string[],
): string | undefined {
  const matches = routes.filter((route) => {
    const [method, template] = route.split(' ') as [string, string];
    if (method !== op.method) return false;
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(op.path);
  });
  // `/orders/quote` before `/orders/{id}`: fewer parameters wins.
  const params = (route: string) => (route.match(/\{/g) ?? []).length;
  return matches.sort((a, b) => params(a) - params(b))[0];
}

/** Every `METHOD /path` of an OpenAPI document. */
export function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** Route → SDK method name; the first SDK method calling a route names it. */
export function operationTable(
  ops: readonly SdkOperation[],
  routes: readonly string[],
): Record<string, string> {
  const table: Record<string, string> = {};
  for (const op of ops) {
    const route = documentedRoute(op, routes);
    if (route && !table[route]) table[route] = op.name;
  }
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
}
