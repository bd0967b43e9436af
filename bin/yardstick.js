#!/usr/bin/env node
// Entry point of the `yardstick` command: runs the compiled CLI from dist/ when it is built,
// otherwise (a fresh checkout, or YARDSTICK_FROM_SOURCE=1) the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'server', 'src', 'cli', 'main.js');

if (existsSync(compiled) && process.env.YARDSTICK_FROM_SOURCE !== '1') {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'server', 'src', 'cli', 'main.ts')).href);
}
