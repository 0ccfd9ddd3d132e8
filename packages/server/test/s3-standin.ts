import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A small S3-compatible server for tests: path-style PutObject, GetObject, HeadObject,
 * DeleteObject and DeleteObjects, as the official @aws-sdk/client-s3 sends them (SigV4 headers,
 * `aws-chunked` bodies, `?delete` XML) and ListObjectsV2. Signatures are not verified, but every API call must
 * carry a SigV4 Authorization header naming the expected access key. Anonymous GET/HEAD of an
 * object is allowed (a public bucket), which is how media URLs are read.
 */
export interface StoredObject {
  body: Buffer;
  contentType: string;
  cacheControl: string | undefined;
  etag: string;
}

export interface S3StandIn {
  url: string;
  bucket: string;
  objects: Map<string, StoredObject>;
  /** `METHOD path?query [content-encoding]` of every request, in order. */
  log: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes an `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0…\r\n<trailers>\r\n`. */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    if (eol < 0) throw new Error('aws-chunked: missing chunk header');
    const size = parseInt(raw.subarray(pos, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked: bad chunk size');
    pos = eol + 2;
    if (size === 0) return Buffer.concat(out);
    out.push(raw.subarray(pos, pos + size));
    pos += size + 2;
  }
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlUnescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`,
  );
}

export async function startS3StandIn(
  opts: { bucket?: string; accessKeyId?: string } = {},
): Promise<S3StandIn> {
  const bucket = opts.bucket ?? 'media-test';
  const accessKeyId = opts.accessKeyId ?? 'test-access-key';
  const objects = new Map<string, StoredObject>();
  const log: string[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => xmlError(res, 500, 'InternalError', String(error)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const encoding = req.headers['content-encoding'] ? ` [${String(req.headers['content-encoding'])}]` : '';
    log.push(`${req.method} ${url.pathname}${url.search}${encoding}`);
    const [, b, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const raw = await readBody(req);
    if (b !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');

    const auth = req.headers.authorization ?? '';
    const signed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(auth);
    const anonymousRead = !auth && key !== '' && (req.method === 'GET' || req.method === 'HEAD');
    if (!anonymousRead) {
      if (!signed) return xmlError(res, 403, 'AccessDenied', 'SigV4 Authorization header required');
      if (signed[1] !== accessKeyId) return xmlError(res, 403, 'InvalidAccessKeyId', 'Unknown access key');
      if (!req.headers['x-amz-date'] || !req.headers['x-amz-content-sha256'])
        return xmlError(res, 400, 'InvalidRequest', 'x-amz-date and x-amz-content-sha256 are required');
    }

    if (req.method === 'POST' && url.searchParams.has('delete')) {
      const keys = [...raw.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) =>
        xmlUnescape(m[1]!),
      );
      const quiet = /<Quiet>true<\/Quiet>/.test(raw.toString('utf8'));
      for (const k of keys) objects.delete(k);
      res.writeHead(200, { 'content-type': 'application/xml' });
      const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('');
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`,
      );
    }
    if (req.method === 'GET' && !key && url.searchParams.get('list-type') === '2') {
      // ListObjectsV2, pages of `max-keys` (default 1000) in key order.
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Number(url.searchParams.get('max-keys') ?? 1000);
      const after = url.searchParams.get('continuation-token') ?? url.searchParams.get('start-after') ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, max);
      const truncated = keys.length > page.length;
      const contents = page
        .map(
          (k) =>
            `<Contents><Key>${xmlEscape(k)}</Key><Size>${objects.get(k)!.body.length}</Size><ETag>${xmlEscape(objects.get(k)!.etag)}</ETag></Contents>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'application/xml' });
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix>` +
          `<KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
          (truncated
            ? `<NextContinuationToken>${xmlEscape(page[page.length - 1]!)}</NextContinuationToken>`
            : '') +
          `${contents}</ListBucketResult>`,
      );
    }
    if (!key) return xmlError(res, 400, 'InvalidRequest', 'bucket-level operation not supported');

    switch (req.method) {
      case 'PUT': {
        const chunked =
          String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
          String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
        const body = chunked ? decodeAwsChunked(raw) : raw;
        const declared = req.headers['x-amz-decoded-content-length'];
        if (declared !== undefined && Number(declared) !== body.length)
          return xmlError(res, 400, 'IncompleteBody', 'decoded length mismatch');
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(key, {
          body,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          cacheControl: req.headers['cache-control'],
          etag,
        });
        res.writeHead(200, { etag });
        return void res.end();
      }
      case 'GET':
      case 'HEAD': {
        const obj = objects.get(key);
        if (!obj) {
          if (req.method === 'HEAD') return void res.writeHead(404).end();
          return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        }
        res.writeHead(200, {
          'content-type': obj.contentType,
          'content-length': obj.body.length,
          etag: obj.etag,
          ...(obj.cacheControl ? { 'cache-control': obj.cacheControl } : {}),
        });
        return void res.end(req.method === 'HEAD' ? undefined : obj.body);
      }
      case 'DELETE':
        objects.delete(key);
        return void res.writeHead(204).end();
      default:
        return xmlError(res, 405, 'MethodNotAllowed', `${req.method} not supported`);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Env for an app that stores media in this stand-in. */
export function s3Env(s3: S3StandIn): Record<string, string> {
  return {
    MEDIA_STORAGE: 's3',
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.url,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'test-access-key',
    S3_SECRET_ACCESS_KEY: 'test-secret-key',
    S3_FORCE_PATH_STYLE: 'true',
  };
}
