// Bundle the action into dist/index.js: one ESM file that runs with plain `node`, no
// node_modules needed. Deterministic (no timestamps, no absolute paths) so CI can rebuild it
// and fail on `git diff --exit-code action/dist`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
await mkdir(dist, { recursive: true });
await build({
  absWorkingDir: join(here, '..'),
  entryPoints: ['action/src/index.ts'],
  outfile: 'action/dist/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Some bundled dependencies are CommonJS and call require() for node built-ins.
  banner: { js: "import { createRequire as __ysCreateRequire } from 'node:module';\nconst require = __ysCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  charset: 'utf8',
  sourcemap: false,
  logLevel: 'warning',
  // Paths in the bundle's comments stay relative to the repository even when node_modules is a link.
  preserveSymlinks: true,
});
// dist/ may be used outside this repository (no root package.json saying "module").
await writeFile(join(dist, 'package.json'), '{\n  "type": "module"\n}\n');
