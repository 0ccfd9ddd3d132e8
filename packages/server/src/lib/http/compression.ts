import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';

/**
 * JSON bodies (`application/json`, `application/problem+json`, …). The plugin also compresses
 * what mime-db marks compressible (HTML, CSS, JS, SVG: the dashboard and docs assets); this
 * replaces its default pattern, which would also take `application/octet-stream` files.
 */
export const COMPRESSIBLE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|$)/i;

/**
 * Compresses answers above 1 KiB with brotli (quality 4, the plugin's default) or gzip, as the
 * client's Accept-Encoding asks. Media files (images, PDF, video, audio) are never recompressed and
 * ranges (206) are left alone. Request bodies are never inflated: the Stripe webhook's signed raw
 * body reaches its parser as sent. Registered before any route (the plugin attaches itself to
 * routes as they are added).
 */
export async function installCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    globalCompression: true,
    globalDecompression: false,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
  });
}
