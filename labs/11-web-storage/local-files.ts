import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface LocalFile {
  /** The object key: the path relative to the folder, with `/` between folders (also on Windows). */
  key: string;
  /** Where the file is on disk. */
  path: string;
}

/** Every file under `folder`, sub-folders included, sorted by key. */
export async function localFiles(folder: string): Promise<LocalFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { key: relative(folder, path).split(sep).join('/'), path };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
