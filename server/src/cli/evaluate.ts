import { parseArgs } from 'node:util';
import type { CheckResult } from '../engine/types.js';
import type { Runtime } from '../scoring/index.js';
import type { Command } from './command.js';
import { openRuntime, stderr } from './shared.js';

interface Row {
  ref: string;
  owner: string | null;
  tracks: { trackId: string; level: string | null; nextLevel: string | null; missing: { checkId: string; outcome: string; message: string; remediation: string }[] }[];
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Score every component and print levels per track, with what blocks the next level',
  usage: '[--json] [--entity REF] [--track ID] [--owner GROUP] [--example]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        entity: { type: 'string', multiple: true },
        track: { type: 'string', multiple: true },
        owner: { type: 'string' },
        example: { type: 'boolean', default: false },
      },
    });
    const runtime = await openRuntime({ example: values.example, quiet: values.json });
    try {
      const progress = process.stderr.isTTY && !values.json;
      const summary = await runtime.rescore({
        keepEvaluations: true,
        onProgress: progress ? (done, total) => process.stderr.write(`\rScoring ${done}/${total} entities…`) : undefined,
      });
      if (progress) process.stderr.write('\n');
      const owners = new Map((await runtime.store.entities.list()).map((e) => [e.ref, e.owner]));
      const rows = buildRows(runtime, summary.evaluations, owners, values);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ definitionsVersion: summary.definitionsVersion, entities: rows }, null, 2)}\n`);
      } else {
        process.stdout.write(renderTable(runtime, rows, values.track));
        stderr(`${rows.length} entities scored against definitions ${summary.definitionsVersion}.`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

function buildRows(
  runtime: Runtime,
  evaluations: Awaited<ReturnType<Runtime['rescore']>>['evaluations'],
  owners: ReadonlyMap<string, string | null>,
  filter: { entity?: string[]; track?: string[]; owner?: string },
): Row[] {
  const defs = runtime.definitions;
  const owner = filter.owner?.includes(':') ? filter.owner : filter.owner ? `group:default/${filter.owner}` : undefined;
  return evaluations
    .filter((e) => !filter.entity || filter.entity.includes(e.ref))
    .map((e) => {
      const results = new Map<string, CheckResult>(e.results.map((r) => [r.checkId, r]));
      return {
        ref: e.ref,
        owner: owners.get(e.ref) ?? null,
        tracks: e.tracks
          .filter((t) => !filter.track || filter.track.includes(t.trackId))
          .map((t) => ({
            trackId: t.trackId,
            level: t.level,
            nextLevel: t.nextLevel,
            missing: t.missing.map((id) => ({
              checkId: id,
              outcome: results.get(id)?.outcome ?? 'unknown',
              message: results.get(id)?.message ?? '',
              remediation: defs.checks.get(id)?.definition.remediation ?? '',
            })),
          })),
      };
    })
    .filter((r) => r.tracks.length > 0 && (!owner || r.owner === owner));
}

const MARK: Record<string, string> = { fail: '✗ fail', unknown: '? unknown', error: '! error' };

function renderTable(runtime: Runtime, rows: Row[], onlyTracks?: string[]): string {
  const trackIds = [...runtime.definitions.tracks.keys()].filter((t) => !onlyTracks || onlyTracks.includes(t));
  const names = trackIds.map((id) => runtime.definitions.tracks.get(id)!.definition.name);
  const owner = (r: Row) => (r.owner ? r.owner.replace(/^group:default\//, '') : '(none)');
  const widths = [Math.max(6, ...rows.map((r) => r.ref.length)), Math.max(5, ...rows.map((r) => owner(r).length)), ...names.map((n) => Math.max(n.length, 8))];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(['ENTITY', 'OWNER', ...names.map((n) => n.toUpperCase())]), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of rows) {
    out.push(line([row.ref, owner(row), ...trackIds.map((id) => levelName(runtime, id, row.tracks.find((t) => t.trackId === id)?.level))]));
    for (const t of row.tracks) {
      if (!t.nextLevel || t.missing.length === 0) continue;
      const trackName = runtime.definitions.tracks.get(t.trackId)!.definition.name;
      out.push(`    ${trackName} → ${levelName(runtime, t.trackId, t.nextLevel)} needs:`);
      for (const m of t.missing) out.push(`      ${(MARK[m.outcome] ?? m.outcome).padEnd(9)} ${m.checkId}: ${m.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function levelName(runtime: Runtime, trackId: string, level: string | null | undefined): string {
  if (level === undefined) return 'n/a';
  if (level === null) return '—';
  return runtime.definitions.tracks.get(trackId)?.definition.levels.find((l) => l.id === level)?.name ?? level;
}
