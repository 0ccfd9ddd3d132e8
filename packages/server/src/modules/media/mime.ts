/** MIME decisions for uploads (CONTRACT §9). Pure. */

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/zip': 'zip',
};
const BY_EXT = new Map(Object.entries(EXT).map(([mime, ext]) => [ext, mime]));

/** File extension for a stored file of this type (`bin` when unknown). */
export function extensionOf(mime: string): string {
  return EXT[mime] ?? 'bin';
}

/** Content-Type for a served file name (`application/octet-stream` when unknown). */
export function mimeOfFile(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return BY_EXT.get(ext) ?? 'application/octet-stream';
}

/** Raster images that get thumbnail/medium/large resolutions. */
export const RASTER = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

const SYNONYMS: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'audio/mp3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
};
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);
// Families whose content file-type recognises: a declared type there must be confirmed by content.
const SNIFFABLE = /^(image|video|audio)\/|^application\/(pdf|zip)$/;

/** `Image/JPG; charset=x` → `image/jpeg`. */
export function canonicalMime(declared: string | undefined | null): string {
  const base = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return SYNONYMS[base] ?? base;
}

/** True when `mime` is listed, exactly or by a `type/*` wildcard. */
export function isAllowed(mime: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a === mime || (a.endsWith('/*') && mime.startsWith(a.slice(0, -1))));
}

/**
 * The type to store, or null (→ 415): the content decides; a declared type must agree with it
 * (or be generic), and the result must be allowed. Content nobody can recognise is accepted only
 * under a declared, allowed type outside the recognisable families (e.g. text/csv).
 */
export function decideType(
  declared: string | undefined | null,
  sniffed: string | undefined,
  allowed: readonly string[],
): string | null {
  const d = canonicalMime(declared);
  if (sniffed) {
    const s = canonicalMime(sniffed);
    if (!isAllowed(s, allowed)) return null;
    return GENERIC.has(d) || d === s ? s : null;
  }
  if (GENERIC.has(d) || SNIFFABLE.test(d)) return null;
  return isAllowed(d, allowed) ? d : null;
}

/** `Crème Brûlée.JPG` → `creme-brulee` (a slug of the file name without its extension). */
export function slugifyFilename(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  return stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
}
