import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';

/** The migrations folder, found from this file whether running from source (tsx, vitest) or from dist/. */
export function migrationsFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // server/src/store → ../../../migrations (source and dist/ mirror the same layout)
  return resolve(here, '..', '..', '..', 'migrations');
}

/** Reads `migrations/*.ts|js` (ISO-timestamp names) — .d.ts, tests and maps skipped. */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder))
      .filter((f) => /^\d{4}-\d{2}-\d{2}T[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, '');
      if (migrations[name]) continue;
      migrations[name] = (await import(pathToFileURL(join(this.folder, file)).href)) as Migration;
    }
    return migrations;
  }
}

/** Every pending migration, the last one rolled back, or up or down to the named one (applied, the later ones not). */
export type MigrationDirection = 'latest' | 'down' | { to: string };

/** Apply every pending migration (or roll back the last one, or go to a named one). Throws with the failing migration's name. */
export async function migrate(db: Kysely<any>, direction: MigrationDirection = 'latest'): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(migrationsFolder()) });
  const result = direction === 'latest' ? await migrator.migrateToLatest()
    : direction === 'down' ? await migrator.migrateDown()
    : await migrator.migrateTo(direction.to);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${message}`);
  }
  return result;
}
