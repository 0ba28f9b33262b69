/** @module This process's name among the servers sharing a database, kept across its restarts. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '@cartrita/engine';

const fileName = 'runner-id';

/**
 * The runner id kept in the data directory: made on the first start and read on every other. The
 * command queue marks the commands it runs with it, so after a restart it can tell the commands it
 * was running (and never finished) from those of other servers on the same database.
 */
export const runnerId = async (dataDir: string): Promise<string> => {
  const path = join(dataDir, fileName);
  try {
    const kept = (await readFile(path, 'utf8')).trim();
    if (/^run_[0-9a-f]{16}$/.test(kept)) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = `run_${randomHex(8)}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${id}\n`, { mode: 0o600 });
  return id;
};
