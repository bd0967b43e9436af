import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { BadgeJson } from './api-types.js';
import { refFromParams } from './params.js';
import { obj, str } from './schemas.js';

const COLORS: Record<string, string> = { bronze: '#a5673f', silver: '#8a9499', gold: '#c59a0c', platinum: '#4a7a8c' };
const NONE = '#9f9f9f';
const OTHER = '#2f6fb0';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
// Verdana 11px averages ~6.5px per character; good enough for a two-part badge.
const textWidth = (s: string) => Math.ceil(s.length * 6.5) + 12;

/** A flat two-part badge, drawn by hand (no external service). */
export function badgeSvg(label: string, message: string, color: string): string {
  const lw = textWidth(label);
  const mw = textWidth(message);
  const w = lw + mw;
  const l = escapeXml(label);
  const m = escapeXml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}">`
    + `<title>${l}: ${m}</title>`
    + `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`
    + `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/></g>`
    + `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`
    + `<text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}

export async function badgeRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.get<{ Params: { kind: string; namespace: string; name: string; file: string } }>('/badges/:kind/:namespace/:name/:file', {
    config: { access: 'read' },
    schema: {
      tags: ['badges'],
      summary: 'Level badge of an entity on a track: `<track>.svg` (image) or `<track>.json` (shields.io endpoint). Without a token only when public reads are on.',
      params: obj({
        kind: { type: 'string', minLength: 1, maxLength: 63 }, namespace: { type: 'string', minLength: 1, maxLength: 63 },
        name: { type: 'string', minLength: 1, maxLength: 63 }, file: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}\\.(svg|json)$' },
      }),
      response: { 200: { description: 'SVG image or shields.io JSON', anyOf: [{ type: 'string' }, obj({ schemaVersion: { type: 'integer', enum: [1] }, label: str, message: str, color: str })] }, '4xx': { $ref: 'ApiError#' }, '5xx': { $ref: 'ApiError#' } },
    },
  }, async (request, reply) => {
    const { file } = request.params;
    const dot = file.lastIndexOf('.');
    const trackId = file.slice(0, dot);
    const format = file.slice(dot + 1);
    const ref = refFromParams(request.params);
    if (!(await runtime.store.entities.get(ref))) throw new errors.YS_ERR_ENTITY_NOT_FOUND(ref);
    const track = runtime.definitions.tracks.get(trackId)?.definition;
    if (!track) throw new errors.YS_ERR_TRACK_NOT_FOUND(trackId);
    const row = (await runtime.store.results.levelsFor([ref])).find((l) => l.track_id === trackId);
    const level = row?.level ? track.levels.find((l) => l.id === row.level) : undefined;
    const message = !row ? 'n/a' : level ? level.name.toLowerCase() : 'none';
    const color = !row || !level ? NONE : (COLORS[level.id] ?? OTHER);
    const label = track.name.toLowerCase();
    reply.header('cache-control', 'max-age=300');
    if (format === 'json') {
      const body: BadgeJson = { schemaVersion: 1, label, message, color: color.slice(1) };
      return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
    }
    return reply.type('image/svg+xml; charset=utf-8').serializer((s: unknown) => String(s)).send(badgeSvg(label, message, color));
  });
}
