import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  PATHS,
  pathTo,
  type FileBatch,
  type FilePiece,
  type FilesCreated,
} from '@sockspec/agent/protocol';
import type { AgentClient } from './agent-client';

/** Folders never handed over: installed packages are the host's (native ones would not even load), history is git's. */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git'];
/** Raw bytes per request: base64 makes 4/3 of it, under the agent's 64 KiB body limit with room for the JSON. */
const BATCH_BYTES = 44 * 1024;

/**
 * Copies a folder of the host (its files and subfolders, without node_modules and .git; links to files followed)
 * into a fresh folder in the target, and answers that folder's path there.
 */
export async function uploadFiles(agent: AgentClient, folder: string): Promise<string> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw new Error(`files: '${folder}' is not a folder on this machine (resolved: ${root})`);
  }
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
  for (const file of await filesIn(root, '')) {
    const data = await readFile(join(root, file.path));
    // An empty file is one piece; a large one goes in pieces, each after the first appended.
    for (let offset = 0; offset === 0 || offset < data.length; offset += BATCH_BYTES) {
      const chunk = data.subarray(offset, offset + BATCH_BYTES);
      if (size + chunk.length > BATCH_BYTES) await flush();
      batch.push({
        path: file.path,
        data: chunk.toString('base64'),
        mode: file.mode,
        ...(offset > 0 ? { append: true } : {}),
      });
      size += chunk.length;
    }
  }
  await flush();
  return created.dir;
}

/** Every regular file under `dir`, as a `/`-separated path relative to the root, with its permission bits. */
async function filesIn(
  root: string,
  dir: string,
): Promise<{ readonly path: string; readonly mode: number }[]> {
  const found: { path: string; mode: number }[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.includes(entry.name)) continue;
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    const info = await stat(join(root, path)).catch(() => undefined);
    // A linked folder is left out: it may lead back up and never end.
    if (info?.isDirectory() === true && !entry.isSymbolicLink())
      found.push(...(await filesIn(root, path)));
    else if (info?.isFile() === true) found.push({ path, mode: info.mode & 0o777 });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
