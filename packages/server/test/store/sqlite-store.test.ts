import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, SqliteStore } from '../../src/store/sqlite-store.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite-migrations.js';
import { describeStoreContract } from '../../src/testing/store-contract.js';

const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeStoreContract('sqlite', {
  create: () => openSqliteStore(tmp()),
  reopen: async (closed) => new SqliteStore((closed as SqliteStore).file),
});

describe('SqliteStore', () => {
  it('writes <dir>/broom.sqlite with WAL and the current schema version', async () => {
    const dir = tmp();
    const store = await openSqliteStore(path.join(dir, 'nested'));
    expect(store.file).toBe(path.join(dir, 'nested', 'broom.sqlite'));
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    await store.close();
    const again = new SqliteStore(store.file);
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
    await again.close();
  });
});
