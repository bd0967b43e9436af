import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { withQuery } from '../api/client.js';
import type { EntityList, TeamList, TrackList, TrackSummaryItem } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { FilterBar, type SelectFilter } from '../components/filter-bar.js';
import { PageHeader } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { entityPath, teamName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';
import { useUrlFilters } from '../components/use-url-filters.js';

export const ENTITY_FILTERS = ['q', 'owner', 'kind', 'type', 'lifecycle', 'track', 'level', 'levelMode', 'offset'] as const;
const PAGE = 50;

export function EntitiesPage() {
  const { values, set, clear } = useUrlFilters(ENTITY_FILTERS);
  const offset = Math.max(0, Number(values.offset) || 0);
  const tracks = useApi<TrackList>('/tracks');
  const teams = useApi<TeamList>('/teams');
  const path = withQuery('/entities', { ...values, offset: offset || undefined, limit: PAGE });
  const state = useApi<EntityList>(path);
  const trackList = tracks.status === 'ok' ? tracks.data.items : [];
  const selectedTrack = trackList.find((t) => t.id === values.track);

  const teamList = teams.status === 'ok' ? teams.data.items : [];
  const selects: SelectFilter[] = useMemo(
    () => [
      {
        key: 'owner',
        label: 'Owner',
        options: teamList.map((t) => ({ value: t.name, label: t.title ?? t.name })).concat(values.owner && !teamList.some((t) => t.name === values.owner) ? [{ value: values.owner, label: values.owner }] : []),
      },
      { key: 'kind', label: 'Kind', options: ['Component', 'API', 'Resource', 'System'].map((k) => ({ value: k.toLowerCase(), label: k })) },
      { key: 'type', label: 'Type', options: ['service', 'website', 'library'].map((v) => ({ value: v, label: v })) },
      { key: 'lifecycle', label: 'Lifecycle', options: ['production', 'experimental', 'deprecated', 'unknown'].map((v) => ({ value: v, label: v })) },
      { key: 'track', label: 'Track', options: trackList.map((t) => ({ value: t.id, label: t.name })) },
      {
        key: 'level',
        label: 'Level',
        options: (selectedTrack?.levels ?? uniqueLevels(trackList)).map((l) => ({ value: l.id, label: l.name })).concat([{ value: 'none', label: 'No level' }]),
      },
      { key: 'levelMode', label: 'Level match', emptyLabel: 'This level or higher', options: [{ value: 'exact', label: 'Exactly this level' }] },
    ],
    [trackList, selectedTrack, teamList, values.owner],
  );

  return (
    <>
      <PageHeader title="Components" />
      <FilterBar
        selects={selects}
        values={values}
        onChange={(k, v) => set(k as (typeof ENTITY_FILTERS)[number], v)}
        onClear={clear}
        search={{ key: 'q', label: 'Search' }}
      />
      <Async state={state} what="components">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No component matches these filters.</Empty>
          ) : (
            <>
              <p className="muted" aria-live="polite">
                {data.offset + 1}–{data.offset + data.items.length} of {data.total}
              </p>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Type</th>
                    <th scope="col">Lifecycle</th>
                    {trackList.map((t) => (
                      <th scope="col" key={t.id}>
                        {t.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((e) => (
                    <tr key={e.ref}>
                      <td>
                        <Link to={entityPath(e.ref)}>{e.title ?? e.name}</Link> <span className="muted">{e.kind}</span>
                      </td>
                      <td>{e.owner ? <Link to={`/teams/${encodeURIComponent(teamName(e.owner) ?? '')}`}>{teamName(e.owner)}</Link> : <span className="muted">none</span>}</td>
                      <td>{e.type ?? '—'}</td>
                      <td>{e.lifecycle ?? '—'}</td>
                      {trackList.map((t) => (
                        <td key={t.id}>{levelCell(e.levels, t)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <nav className="pager" aria-label="Pages">
                <button type="button" disabled={offset === 0} onClick={() => set('offset', String(Math.max(0, offset - PAGE)))}>
                  ← Previous
                </button>
                <button type="button" disabled={offset + data.items.length >= data.total} onClick={() => set('offset', String(offset + PAGE))}>
                  Next →
                </button>
              </nav>
            </>
          )
        }
      </Async>
    </>
  );
}

function levelCell(levels: EntityList['items'][number]['levels'], track: TrackSummaryItem) {
  const l = levels.find((x) => x.trackId === track.id);
  return l ? <LevelBadge level={l.level} levels={track.levels} small /> : <span className="muted">not scored</span>;
}

function uniqueLevels(tracks: TrackSummaryItem[]) {
  const seen = new Map<string, { id: string; name: string }>();
  for (const t of tracks) for (const l of t.levels) if (!seen.has(l.id)) seen.set(l.id, { id: l.id, name: l.name });
  return [...seen.values()];
}
