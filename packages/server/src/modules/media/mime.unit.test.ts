import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { canonicalMime, decideType, extensionOf, isAllowed, mimeOfFile, slugifyFilename } from './mime.ts';

const ALLOWED = ['image/jpeg', 'image/png', 'application/pdf', 'video/*', 'text/csv'];

describe('decideType: content decides, the declared type must agree', () => {
  const cases: [string, string | undefined, string | undefined, string | null][] = [
    ['declared = sniffed', 'image/png', 'image/png', 'image/png'],
    ['synonym image/jpg', 'image/jpg', 'image/jpeg', 'image/jpeg'],
    ['declared with parameters', 'IMAGE/PNG; charset=binary', 'image/png', 'image/png'],
    ['generic declared', 'application/octet-stream', 'image/png', 'image/png'],
    ['missing declared', undefined, 'application/pdf', 'application/pdf'],
    ['lying declared type', 'image/png', 'application/pdf', null],
    ['sniffed type not allowed', 'image/gif', 'image/gif', null],
    ['wildcard allowed', 'video/webm', 'video/webm', 'video/webm'],
    ['unrecognised content claiming an image', 'image/jpeg', undefined, null],
    ['unrecognised content, generic type', 'application/octet-stream', undefined, null],
    ['unrecognisable family, allowed', 'text/csv', undefined, 'text/csv'],
    ['unrecognisable family, not allowed', 'text/plain', undefined, null],
  ];
  it.each(cases)('%s', (_name, declared, sniffed, expected) => {
    expect(decideType(declared, sniffed, ALLOWED)).toBe(expected);
  });
});

describe('helpers', () => {
  it.each([
    ['Crème Brûlée.PNG', 'creme-brulee'],
    ['  --Hello World!!.tar.gz', 'hello-world-tar'],
    ['.hidden', 'hidden'],
    ['日本.jpg', ''],
  ])('slugifyFilename(%s) = %s', (name, slug) => expect(slugifyFilename(name)).toBe(slug));

  it('maps types to extensions and back', () => {
    expect(extensionOf('image/jpeg')).toBe('jpg');
    expect(extensionOf('application/x-unknown')).toBe('bin');
    expect(mimeOfFile('med_x-original.jpg')).toBe('image/jpeg');
    expect(mimeOfFile('med_x-original.bin')).toBe('application/octet-stream');
    expect(canonicalMime('audio/mp3')).toBe('audio/mpeg');
    expect(isAllowed('image/png', ['image/*'])).toBe(true);
    expect(isAllowed('imagex/png', ['image/*'])).toBe(false);
  });
});

describe('media configuration', () => {
  const base = {
    NODE_ENV: 'test',
    JWT_SECRET: 'x'.repeat(40),
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    DATA_DIR: '/tmp/oa-config-test',
  };
  it('defaults to disk, 50 MiB and common types', () => {
    const c = loadConfig(base).media;
    expect(c).toMatchObject({ storage: 'disk', maxBytes: 50 * 1024 * 1024, s3: null });
    expect(c.allowedTypes).toEqual(
      expect.arrayContaining([
        'image/jpeg',
        'image/png',
        'image/webp',
        'image/gif',
        'image/avif',
        'application/pdf',
        'video/mp4',
      ]),
    );
  });
  it('reads the S3 settings', () => {
    const c = loadConfig({
      ...base,
      MEDIA_STORAGE: 'S3',
      S3_BUCKET: 'b',
      S3_ENDPOINT: 'http://minio:9000/',
      S3_FORCE_PATH_STYLE: 'true',
      MEDIA_ALLOWED_TYPES: 'image/*, application/pdf',
    }).media;
    expect(c).toMatchObject({
      storage: 's3',
      allowedTypes: ['image/*', 'application/pdf'],
      s3: {
        bucket: 'b',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        region: 'us-east-1',
        publicUrl: null,
      },
    });
  });
  it.each([
    [{ MEDIA_STORAGE: 's3' }, /S3_BUCKET/],
    [{ MEDIA_STORAGE: 'ftp' }, /MEDIA_STORAGE/],
    [{ MEDIA_ALLOWED_TYPES: 'images' }, /MEDIA_ALLOWED_TYPES/],
    [{ MEDIA_MAX_BYTES: '12' }, /MEDIA_MAX_BYTES/],
    [{ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
