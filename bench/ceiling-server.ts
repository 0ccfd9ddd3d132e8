/**
 * The storage ceiling: bare Fastify + better-sqlite3 serving prebuilt product documents with one
 * indexed query per request and no validation, auth or hooks. Started as its own process by the
 * `ceiling` and `side` scenarios (CEILING_DB = a SQLite file with `product_docs`, PORT).
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const db = new Database(process.env.CEILING_DB ?? ':memory:', { readonly: true });
db.pragma('journal_mode = WAL');
const page = db.prepare(
  'SELECT id, created_at, doc FROM product_docs WHERE store_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
);
const one = db.prepare('SELECT doc FROM product_docs WHERE store_id = ? AND id = ?');

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get<{ Params: { storeId: string }; Querystring: { limit?: string } }>(
  '/v1/storefront/:storeId/products',
  async (req, reply) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 20) || 20, 1), 100);
    const rows = page.all(req.params.storeId, limit + 1) as { id: string; created_at: number; doc: string }[];
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const last = items[items.length - 1];
    const cursor =
      more && last
        ? JSON.stringify(
            Buffer.from(JSON.stringify({ f: 'created_at', v: last.created_at, id: last.id })).toString(
              'base64url',
            ),
          )
        : 'null';
    reply.type('application/json');
    return `{"items":[${items.map((r) => r.doc).join(',')}],"cursor":${cursor},"has_more":${more}}`;
  },
);
app.get<{ Params: { storeId: string; id: string } }>(
  '/v1/storefront/:storeId/products/:id',
  async (req, reply) => {
    const row = one.get(req.params.storeId, req.params.id) as { doc: string } | undefined;
    if (!row) return reply.code(404).send({ error: 'not_found' });
    reply.type('application/json');
    return row.doc;
  },
);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
