/**
 * Files across a restart of the built server: files still pending or processing when the process
 * is killed are processed when the server starts again, to the same outcome as without the kill.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileList, FileProcessingStatus, FileUploadResponse } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startChildServer } from '../child-server.js';

const key = 'files-restart-key-0123456789';
const env = { API_KEYS: `ops:admin:${key}` };
const headers = { 'x-api-key': key, 'x-cartrita-user': 'usr_restart' };

describe('files across a restart', () => {
  it('processes the files a killed server left unfinished once it is back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-files-restart-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const image = await readFile(new URL('../fixtures/files/sample.png', import.meta.url));

    const first = await startChildServer({ env, dataDir });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const form = new FormData();
      form.set('file', new Blob([image]), `scan-${i}.png`);
      const response = await fetch(`${first.url}/files/upload`, { method: 'POST', headers, body: form });
      ids.push(FileUploadResponse.parse(await response.json()).file_id);
    }
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = await startChildServer({ env, dataDir });
    const statuses: FileProcessingStatus[] = [];
    for (const id of ids) {
      for (;;) {
        const response = await fetch(`${second.url}/files/status/${id}`, { headers });
        const status = FileProcessingStatus.parse(await response.json());
        if (status.status === 'completed' || status.status === 'failed') {
          statuses.push(status);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(
      statuses.map((status) => [status.filename, status.status, status.progress, status.chunks_created]),
    ).toEqual(ids.map((_, i) => [`scan-${i}.png`, 'completed', 100, 1]));
    const requeued = second.log().find((line) => line.msg?.startsWith('Files left unprocessed'));
    expect(requeued?.files).toBeGreaterThanOrEqual(1);
    const list = FileList.parse(await (await fetch(`${second.url}/files/list`, { headers })).json());
    expect(list.total).toBe(4);
  }, 180_000);
});
