import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.js';
import { seedExampleHistory } from './example-history.js';
import { openRuntime, stderr } from './shared.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the API and dashboard (--example: the example organisation, with public reads)',
  usage: '[--example] [--port N] [--host H] [--public-reads]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        example: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        'public-reads': { type: 'boolean' },
      },
    });
    let port: number | undefined;
    if (values.port !== undefined) {
      if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new UsageError(`--port must be 0–65535, got "${values.port}"`);
      port = Number(values.port);
    }
    // The example organisation is made-up data meant to be browsed: public reads on unless told otherwise.
    const publicReads = values['public-reads'] ?? (values.example ? true : undefined);
    const runtime = await openRuntime({ example: values.example, overrides: { port, host: values.host, publicReads } });
    let started = false;
    try {
      const scored = await runtime.rescore();
      stderr(`Scored ${scored.entities} entities (definitions ${scored.definitionsVersion}).`);
      if (values.example && (await seedExampleHistory(runtime.store, runtime.definitions))) {
        stderr('Added 90 days of made-up example history so the charts have a past.');
      }
      const { startServer } = await import('../server.js');
      const { url } = await startServer({ runtime });
      started = true;
      const base = runtime.config.publicUrl.startsWith(`http://${runtime.config.host}`) ? url : runtime.config.publicUrl;
      stderr('');
      stderr(`Yardstick is running at ${base}`);
      stderr(`API docs: ${base}/docs  (OpenAPI: ${base}/api/v1/openapi.json)`);
      stderr(runtime.config.publicReads
        ? 'Public reads are ON: anyone who can reach this address can read scores. Writes need a token.'
        : 'Reads need a token: yardstick token create --name me --scope read   (send "Authorization: Bearer <token>")');
      stderr(runtime.store.dialect === 'pglite'
        // The embedded database takes one process at a time: the CLI cannot open it while this runs.
        ? 'Admin token for exemptions and reloads: stop Yardstick (Ctrl-C), run yardstick token create --name <you> --scope admin, start it again'
        : 'Admin token for exemptions and reloads: yardstick token create --name <you> --scope admin');
      return await new Promise<number>(() => {});
    } finally {
      if (!started) await runtime.close();
    }
  },
};
