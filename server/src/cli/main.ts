/**
 * The `yardstick` command. Each sub-command lives in its own file and is listed once below.
 * Exit codes: 0 success, 1 the command's verdict was negative (failing gate, invalid
 * definitions), 2 it could not run (bad input, unreachable server).
 */
import { commands } from './commands.js';

export async function main(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return first ? 0 : 2;
  }
  if (first === '--version' || first === '-v') {
    const { version } = await import('./version.js');
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const twoWord = second ? commands.find((c) => c.name === `${first} ${second}`) : undefined;
  const command = twoWord ?? commands.find((c) => c.name === first);
  if (!command) {
    process.stderr.write(`yardstick: unknown command "${first}"\n\n${usage()}`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`yardstick ${command.name} ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  return command.run(rest);
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: yardstick <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "yardstick <command> --help" for a command's options.\n`;
}

// Run when executed directly (bin/yardstick.js imports this module).
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`yardstick: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
