import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  MAX_FOLDER_BYTES,
  PATHS,
  pathTo,
  type FileBatch,
  type FilePiece,
  type FilesCreated,
} from '@sockspec/agent/protocol';
import type { AgentClient } from './agent-client';

/** Raw bytes per request: base64 makes 4/3 of it, under the agent's 64 KiB body limit with room for the JSON. */
const BATCH_BYTES = 44 * 1024;

/** What goes along with a folder's own files. */
export interface UploadOptions {
  /** node_modules too (its linked packages followed), for a Node server with dependencies; .git never goes. */
  readonly nodeModules?: boolean;
}

/** A folder over what a target takes (MAX_FOLDER_BYTES): refused before anything is sent. */
export class FolderTooLarge extends Error {
  override readonly name = 'FolderTooLarge';
  constructor(
    readonly folder: string,
    readonly bytes: number,
  ) {
    super(
      `'${folder}' holds ${mebibytes(bytes)} MiB of files, over the ${mebibytes(MAX_FOLDER_BYTES)} MiB a target ` +
        'takes',
    );
  }
}

interface FoundFile {
  readonly path: string;
  readonly mode: number;
  readonly size: number;
}

/**
 * Copies a folder of the host (its files and subfolders, without .git, and without node_modules unless asked; links
 * to files followed) into a fresh folder in the target, and answers that folder's path there. Files are read and
 * sent a batch at a time; a folder over MAX_FOLDER_BYTES is a FolderTooLarge before anything is sent.
 */
export async function uploadFiles(
  agent: AgentClient,
  folder: string,
  options: UploadOptions = {},
): Promise<string> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw new Error(`files: '${folder}' is not a folder on this machine (resolved: ${root})`);
  }
  const skipped = options.nodeModules === true ? ['.git'] : ['.git', 'node_modules'];
  const files = await filesIn(root, '', skipped, [await realpath(root)]);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (bytes > MAX_FOLDER_BYTES) throw new FolderTooLarge(folder, bytes);
  const created = await agent.post<FilesCreated>(PATHS.files);
  let batch: FilePiece[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const body: FileBatch = { files: batch };
    await agent.post(pathTo(PATHS.fileBatch, created.id), body);
    batch = [];
    size = 0;
  };
  for (const file of files) {
    const handle = await open(join(root, file.path));
    try {
      // An empty file is one piece; a large one goes in pieces, each after the first appended.
      for (let offset = 0; offset === 0 || offset < file.size; offset += BATCH_BYTES) {
        const chunk = Buffer.alloc(Math.min(BATCH_BYTES, Math.max(file.size - offset, 0)));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
        if (size + bytesRead > BATCH_BYTES) await flush();
        batch.push({
          path: file.path,
          data: chunk.subarray(0, bytesRead).toString('base64'),
          mode: file.mode,
          ...(offset > 0 ? { append: true } : {}),
        });
        size += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
  await flush();
  return created.dir;
}

/**
 * Every regular file under `dir`, as a `/`-separated path relative to the root, with its permission bits and size.
 * A linked folder is followed (npm links `file:` and workspace packages) unless it leads back to a folder on the
 * way down (`ancestors`, real paths), where it would never end.
 */
async function filesIn(
  root: string,
  dir: string,
  skipped: readonly string[],
  ancestors: readonly string[],
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    if (skipped.includes(entry.name)) continue;
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    const info = await stat(join(root, path)).catch(() => undefined);
    if (info?.isDirectory() === true) {
      const real = await realpath(join(root, path));
      if (ancestors.some((ancestor) => real === ancestor || ancestor.startsWith(real + sep))) {
        continue;
      }
      found.push(...(await filesIn(root, path, skipped, [...ancestors, real])));
    } else if (info?.isFile() === true) {
      found.push({ path, mode: info.mode & 0o777, size: info.size });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
