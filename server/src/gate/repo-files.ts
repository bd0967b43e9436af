/**
 * The `github.files` fact of a local checkout: which community files the pull request's tree
 * has. Reads the same four folders GitHub's collector reads (root, `.github`, `.github/workflows`,
 * `docs`) and maps them with the collector's own `filesFact`, so both sides judge alike.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { filesFact } from '../collectors/github/repository-facts.js';

type FilesRepo = Parameters<typeof filesFact>[0];

async function entries(dir: string): Promise<{ entries: { name: string }[] } | null> {
  try {
    const names = await readdir(dir);
    return { entries: names.sort().map((name) => ({ name })) };
  } catch {
    return null;
  }
}

/** `github.files` of the checkout at `root`. `codeownersErrors` is null: only GitHub can validate CODEOWNERS. */
export async function localFilesFact(root: string): Promise<ReturnType<typeof filesFact>> {
  const [rootDir, dotGithub, workflowsDir, docsDir] = await Promise.all([
    entries(root),
    entries(path.join(root, '.github')),
    entries(path.join(root, '.github', 'workflows')),
    entries(path.join(root, 'docs')),
  ]);
  return filesFact({ root: rootDir, dotGithub, workflowsDir, docsDir } as FilesRepo, null);
}
