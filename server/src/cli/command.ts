/**
 * A CLI sub-command.
 *
 * @example
 * ```ts
 * export const migrateCommand: Command = {
 *   name: 'migrate', summary: 'Apply database migrations', usage: '[--down]',
 *   async run(args) { … return 0; },
 * };
 * ```
 */
export interface Command {
  /** One or two words, e.g. `evaluate` or `check validate`. */
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad command-line input: printed without a stack, exit code 2. */
export class UsageError extends Error {}
