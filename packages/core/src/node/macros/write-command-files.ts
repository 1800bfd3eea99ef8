import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CommandFile } from '../../common/macros/command.js';

/** Write the files a built command needs (`${args_json_file}`), creating their directories. */
export async function writeCommandFiles(files: readonly CommandFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, 'utf8');
  }
}
