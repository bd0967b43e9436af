import type { Command } from './command.js';
import { migrateCommand } from './migrate.js';

/** Every sub-command, listed once. */
export const commands: Command[] = [migrateCommand];
