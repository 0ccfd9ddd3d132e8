import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { AppError, validationError } from '../../lib/errors.ts';
import { randomBase62 } from '../../lib/ids.ts';
import type { MediaConfig } from '../../config.ts';
import { decideType } from './mime.ts';

/** A received file waiting on disk to be processed and stored. */
export interface IncomingFile {
  /** `files.N` or `urls.N`: the field an error about it names. */
  field: string;
  path: string;
  filename: string;
  declared: string;
  bytes: number;
  /** Decided by content (set by `checkTypes`). */
  mime?: string;
}

export const MAX_FILES_PER_REQUEST = 20;

export function tooLarge(limit: number, field: string): AppError {
  return new AppError('payload_too_large', `${field} is larger than ${limit} bytes`, { limit, field });
}

/** Counts bytes as they pass; fails the stream the moment the limit is crossed. */
function byteCounter(limit: number, field: string, seen: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen.bytes += chunk.length;
      if (seen.bytes > limit) done(tooLarge(limit, field));
      else done(null, chunk);
    },
  });
}

/** Writes a stream to a new temp file, enforcing `limit` while streaming. */
export async function streamToTemp(
  source: NodeJS.ReadableStream,
  tmpDir: string,
  limit: number,
  field: string,
): Promise<{ path: string; bytes: number }> {
  await mkdir(tmpDir, { recursive: true });
  const path = join(tmpDir, `upload-${randomBase62(16)}`);
  const seen = { bytes: 0 };
  try {
    await pipeline(source, byteCounter(limit, field, seen), createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, bytes: seen.bytes };
}

/**
 * Reads `multipart/form-data`: every file part (usually `files`) streamed to a temp file under
 * the size limit, and `urls` text parts. On any failure the temp files written so far are removed.
 */
export async function receiveParts(
  request: FastifyRequest,
  media: MediaConfig,
  tmpDir: string,
): Promise<{ files: IncomingFile[]; urls: string[] }> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Upload media as multipart/form-data with `files` and/or `urls` parts',
    );
  const files: IncomingFile[] = [];
  const urls: string[] = [];
  try {
    const parts = request.parts({
      limits: {
        fileSize: media.maxBytes,
        files: MAX_FILES_PER_REQUEST,
        fields: 50,
        fieldSize: 4096,
        parts: 100,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const field = `files.${files.length}`;
        const { path, bytes } = await streamToTemp(part.file, tmpDir, media.maxBytes, field);
        files.push({
          field,
          path,
          bytes,
          filename: (part.filename || 'file').slice(0, 255),
          declared: part.mimetype,
        });
        if (part.file.truncated) throw tooLarge(media.maxBytes, field);
      } else if (
        /^urls?(\[\d*\])?$/.test(part.fieldname) &&
        typeof part.value === 'string' &&
        part.value.trim()
      ) {
        urls.push(part.value.trim());
      }
    }
  } catch (error) {
    await discard(files);
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(media.maxBytes, `files.${files.length}`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError('payload_too_large', `At most ${MAX_FILES_PER_REQUEST} files per request`, {
        limit: MAX_FILES_PER_REQUEST,
      });
    }
    throw error;
  }
  if (files.length + urls.length === 0)
    throw validationError({
      field: 'files',
      reason: 'required',
      message: 'Send at least one `files` part or `urls` value',
    });
  if (files.length + urls.length > MAX_FILES_PER_REQUEST) {
    await discard(files);
    throw new AppError('payload_too_large', `At most ${MAX_FILES_PER_REQUEST} files per request`, {
      limit: MAX_FILES_PER_REQUEST,
    });
  }
  return { files, urls };
}

/** Decides each file's type by content (415 when not allowed or not what it claims to be). */
export async function checkTypes(files: IncomingFile[], allowed: readonly string[]): Promise<void> {
  for (const file of files) {
    const sniffed = await fileTypeFromFile(file.path);
    const mime = decideType(file.declared, sniffed?.mime, allowed);
    if (!mime) {
      const what = sniffed?.mime ?? (file.declared || 'unknown');
      throw new AppError(
        'unsupported_media_type',
        `${file.field}: ${what} is not an accepted type${sniffed && file.declared && sniffed.mime !== file.declared ? ` (declared ${file.declared})` : ''}`,
        {
          field: file.field,
        },
      );
    }
    file.mime = mime;
  }
}

/** Removes temp files. */
export async function discard(files: readonly IncomingFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f.path, { force: true })));
}
