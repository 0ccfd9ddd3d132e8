import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Metadata, Sharp } from 'sharp';
import type SharpModule from 'sharp';

/** sharp (libvips, ≈ 20 MiB resident) is loaded at the first image, not at every start. */
let sharpModule: typeof SharpModule | undefined;
const sharp: typeof SharpModule = ((...args: Parameters<typeof SharpModule>) =>
  (sharpModule ??= createRequire(import.meta.url)('sharp') as typeof SharpModule)(
    ...args,
  )) as typeof SharpModule;

/** One file to store for a media: the original or a resized copy. */
export interface Rendition {
  size: 'original' | 'thumbnail' | 'medium' | 'large';
  body: Buffer;
  mime: string;
  width?: number;
  height?: number;
}

/** Bounding boxes of the derived resolutions (CONTRACT §9). */
export const SIZES = [
  ['thumbnail', 320],
  ['medium', 1024],
  ['large', 2048],
] as const;

// Formats kept for derived files; AVIF (slow to encode) and GIF (frames) become WebP/PNG.
const OUTPUT: Record<string, 'jpeg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'webp',
  'image/gif': 'png',
};

function encode(pipeline: Sharp, format: 'jpeg' | 'png' | 'webp', quality = 82): Sharp {
  if (format === 'jpeg') return pipeline.jpeg({ quality });
  if (format === 'webp') return pipeline.webp({ quality });
  return pipeline.png({ compressionLevel: 6 });
}

/** Raised when a file that claims to be an image cannot be decoded. */
export class UndecodableImage extends Error {}

/**
 * Resolutions of a raster image. Derived files are rotated by EXIF orientation and carry no
 * metadata (sharp drops it unless asked). The original keeps its bytes unless it carries EXIF,
 * XMP or IPTC data (camera details, GPS position): then it is re-encoded, upright and stripped.
 */
export async function renderImage(path: string, mime: string): Promise<Rendition[]> {
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch {
    throw new UndecodableImage('the image cannot be decoded');
  }
  const format = OUTPUT[mime] ?? 'png';
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  const base = sharp(path, { failOn: 'error' }).rotate();
  const out: Rendition[] = [];
  try {
    const strip =
      !!(meta.exif || meta.xmp || meta.iptc) &&
      (mime === 'image/jpeg' || mime === 'image/png' || mime === 'image/webp');
    if (strip) {
      const { data, info } = await encode(base.clone(), format, 92).toBuffer({ resolveWithObject: true });
      out.push({ size: 'original', body: data, mime, width: info.width, height: info.height });
    } else {
      out.push({
        size: 'original',
        body: await readFile(path),
        mime,
        ...(width ? { width } : {}),
        ...(height ? { height } : {}),
      });
    }
    const derived = await Promise.all(
      SIZES.map(async ([size, box]) => {
        const pipeline = base
          .clone()
          .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true });
        const { data, info } = await encode(pipeline, format).toBuffer({ resolveWithObject: true });
        return {
          size,
          body: data,
          mime: `image/${format}`,
          width: info.width,
          height: info.height,
        } satisfies Rendition;
      }),
    );
    out.push(...derived);
  } catch (error) {
    if (error instanceof UndecodableImage) throw error;
    throw new UndecodableImage(`the image cannot be decoded: ${(error as Error).message}`.slice(0, 200));
  }
  return out;
}
