import { checkDocsCommand } from './check-docs.js';
import { checkValidateCommand } from './check-validate.js';
import type { Command } from './command.js';
import { evaluateCommand } from './evaluate.js';
import { factsPushCommand } from './facts-push.js';
import { gateCommand } from './gate.js';
import { migrateCommand } from './migrate.js';
import { refreshCommand } from './refresh.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token.js';
import { workerCommand } from './worker.js';

/** Every sub-command, listed once. */
export const commands: Command[] = [evaluateCommand, checkValidateCommand, checkDocsCommand, factsPushCommand, reportCommand, gateCommand, workerCommand, migrateCommand, serveCommand, refreshCommand, tokenCreateCommand, tokenListCommand, tokenRevokeCommand];
