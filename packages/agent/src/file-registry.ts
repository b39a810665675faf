import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { MAX_FOLDER_BYTES, type FileBatch, type FilePiece } from './protocol';
import { HttpError, badRequest, notFound } from './http-error';
import { RequestFields } from './request-fields';

/** The most pieces one batch may carry (the body limit keeps their bytes small). */
const MAX_PIECES = 4096;

interface Folder {
  readonly dir: string;
  bytes: number;
}

/** Folders of files handed to the target (`run(command, { files })`), each fresh and removed with the agent's parts. */
export class FileRegistry {
  private readonly folders = new Map<number, Folder>();
  private nextId = 1;

  /** A new, empty folder under the temporary directory (/tmp/sockspec-files-XXXXXX). */
  create(): { id: number; dir: string } {
    const dir = mkdtempSync(join(tmpdir(), 'sockspec-files-'));
    const id = this.nextId++;
    this.folders.set(id, { dir, bytes: 0 });
    return { id, dir };
  }

  /** Writes one batch of files into folder `id`, creating the folders their paths name. */
  write(id: number, batch: FileBatch): { bytes: number } {
    const folder = this.folders.get(id);
    if (folder === undefined) throw notFound(`no files folder ${id}`);
    for (const piece of batch.files) {
      const data = Buffer.from(piece.data, 'base64');
      folder.bytes += data.length;
      if (folder.bytes > MAX_FOLDER_BYTES) {
        throw new HttpError(
          413,
          'too-large',
          `the files are over ${MAX_FOLDER_BYTES / 1024 / 1024} MiB; a larger project ships as an image`,
        );
      }
      const path = join(folder.dir, safePath(piece.path));
      mkdirSync(dirname(path), { recursive: true });
      if (piece.append === true) appendFileSync(path, data);
      else writeFileSync(path, data);
      chmodSync(path, piece.mode ?? 0o644);
    }
    return { bytes: folder.bytes };
  }

  removeAll(): void {
    for (const folder of this.folders.values())
      rmSync(folder.dir, { recursive: true, force: true });
    this.folders.clear();
  }
}

/** A piece's path, checked to stay inside its folder: relative, `/`-separated, no `..` or empty part. */
function safePath(path: FilePiece['path']): string {
  const parts = path.split('/');
  if (
    path === '' ||
    posix.isAbsolute(path) ||
    parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\0'))
  ) {
    throw badRequest(`'${path}' is not a relative path inside the folder`);
  }
  return parts.join('/');
}

/** A batch's body, checked field by field (every mismatch is a 400 naming it). */
export function fileBatch(body: unknown): FileBatch {
  const files = (body as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files) || files.length > MAX_PIECES) {
    throw badRequest(`'files' must be an array of at most ${MAX_PIECES} files`);
  }
  return {
    files: files.map((item: unknown) => {
      const fields = RequestFields.of(item);
      const data = fields.string('data', 64 * 1024);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw badRequest("'data' must be base64");
      return {
        path: fields.string('path', 1024),
        data,
        mode: fields.optionalInteger('mode', 0, 0o777),
        append: fields.optionalBoolean('append'),
      };
    }),
  };
}
