import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, apiRequest } from '../api/client.js';
import type { EntityFactsResponse, EntityHistoryResponse, ScorecardCheck, ScorecardResponse, ScorecardTrack } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { age, daysUntil, formatDate, formatDateTime } from '../components/format.js';
import { PageHeader, Section, useToken } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { LevelLadder } from '../components/level-ladder.js';
import { levelIndex } from '../components/levels.js';
import { OutcomeBadge } from '../components/outcome-badge.js';
import { OutcomeValues } from '../components/outcome-values.js';
import { teamName } from '../components/refs.js';
import { Async, Empty, ErrorState } from '../components/states.js';

export function EntityPage() {
  const { kind = '', namespace = '', name = '' } = useParams();
  const base = `/entities/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const state = useApi<ScorecardResponse>(base);
  const title = state.status === 'ok' ? (state.data.entity.title ?? state.data.entity.name) : name;
  return (
    <>
      <PageHeader title={title} kicker={<Link to="/entities">Components</Link>} />
      <Async state={state} what={`the scorecard of ${name}`}>
        {(card) => <Scorecard card={card} base={base} reload={state.reload} />}
      </Async>
    </>
  );
}

function Scorecard({ card, base, reload }: { card: ScorecardResponse; base: string; reload: () => void }) {
  const e = card.entity;
  const owner = teamName(e.owner);
  const [params, setParams] = useSearchParams();
  const only = params.get('show') === 'failing' ? 'failing' : 'all';
  const allChecks = new Map(card.tracks.flatMap((t) => t.checksByLevel.flatMap((l) => l.checks.map((c) => [c.checkId, c.name] as const))));
  return (
    <div className="grid">
      <dl className="facts-line">
        <div>
          <dt>Owner</dt>
          <dd>{owner ? <Link to={`/teams/${encodeURIComponent(owner)}`}>{owner}</Link> : 'none'}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{e.kind}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{e.type ?? '—'}</dd>
        </div>
        <div>
          <dt>Lifecycle</dt>
          <dd>{e.lifecycle ?? '—'}</dd>
        </div>
        <div>
          <dt>Evaluated</dt>
          <dd>{formatDateTime(card.evaluatedAt)}</dd>
        </div>
        <RefreshButton base={base} onDone={reload} />
      </dl>
      {e.description && <p className="lead">{e.description}</p>}

      {card.tracks.length === 0 ? (
        <Empty>No track scores this entity.</Empty>
      ) : (
        <Section title="Levels">
          <div className="grid grid--charts">
            {card.tracks.map((t) => (
              <div key={t.trackId} className="card">
                <h3>
                  <Link to={`/tracks/${encodeURIComponent(t.trackId)}`}>{t.name}</Link>: <LevelBadge level={t.level} levels={t.levels} />
                </h3>
                <LevelLadder trackName={t.name} levels={t.levels} reached={t.level} missing={t.missing} checkName={(id) => allChecks.get(id) ?? id} />
              </div>
            ))}
          </div>
        </Section>
      )}

      {card.tracks.length > 0 && (
        <Section
          title="Checks"
          actions={
            <fieldset className="toggle">
              <legend className="visually-hidden">Show checks</legend>
              {(['all', 'failing'] as const).map((v) => (
                <label key={v}>
                  <input
                    type="radio"
                    name="show"
                    value={v}
                    checked={only === v}
                    onChange={() =>
                      setParams((p) => {
                        const n = new URLSearchParams(p);
                        if (v === 'all') n.delete('show');
                        else n.set('show', v);
                        return n;
                      })
                    }
                  />{' '}
                  {v === 'all' ? 'All checks' : 'Not passing only'}
                </label>
              ))}
            </fieldset>
          }
        >
          {card.tracks.map((t) => (
            <TrackChecks key={t.trackId} track={t} only={only} />
          ))}
        </Section>
      )}

      <LevelHistory base={base} tracks={card.tracks} />
      <Facts base={base} />
    </div>
  );
}

const PASSING = new Set(['pass', 'not-applicable']);

function TrackChecks({ track, only }: { track: ScorecardTrack; only: 'all' | 'failing' }) {
  return (
    <div className="track-checks">
      <h3>{track.name}</h3>
      {track.checksByLevel.map((lvl) => {
        const checks = only === 'failing' ? lvl.checks.filter((c) => !PASSING.has(c.outcome)) : lvl.checks;
        return (
          <div key={lvl.level} className="level-group">
            <h4>
              <LevelBadge level={lvl.level} levels={track.levels} />
              <span className="muted"> {lvl.checks.filter((c) => c.outcome === 'pass' || c.outcome === 'exempt').length}/{lvl.checks.length} passing</span>
            </h4>
            {checks.length === 0 ? (
              <p className="muted">Every check of this level passes.</p>
            ) : (
              <ul className="check-list">
                {checks.map((c) => (
                  <CheckRow key={c.checkId} check={c} />
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}

export function CheckRow({ check }: { check: ScorecardCheck }) {
  const failing = !PASSING.has(check.outcome) && check.outcome !== 'exempt';
  return (
    <li className={`check-row check-row--${check.outcome}`}>
      <div className="check-row__head">
        <OutcomeBadge outcome={check.outcome} />
        <Link to={`/checks/${encodeURIComponent(check.checkId)}`} className="check-row__name">
          {check.name}
        </Link>
      </div>
      <p className="check-row__message">{check.message}</p>
      <details>
        <summary>Values that decided it</summary>
        <OutcomeValues values={check.values} />
      </details>
      {check.exemption && (
        <p className="exemption-note">
          <span aria-hidden="true">⛨ </span>Exempt until {formatDate(check.exemption.expiresAt)} ({daysUntil(check.exemption.expiresAt)} days left) — “{check.exemption.reason}” by {check.exemption.author}
        </p>
      )}
      {failing && check.remediation && (
        <p className="remediation">
          <strong>How to fix:</strong> {check.remediation}
        </p>
      )}
    </li>
  );
}

function RefreshButton({ base, onDone }: { base: string; onDone: () => void }) {
  const token = useToken();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  // Refreshing writes: only offered when a token is set; the server still decides (403 shows why).
  if (!token) return null;
  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await apiRequest(`${base}/refresh`, { method: 'POST', body: {} });
      setDone(true);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('POST', `${base}/refresh`, null, null, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="refresh">
      <button type="button" onClick={run} disabled={busy}>
        {busy ? 'Refreshing…' : 'Refresh now'}
      </button>
      <span role="status" aria-live="polite">{done ? ' Refreshed.' : ''}</span>
      {error && <ErrorState error={error} />}
    </div>
  );
}

/** Level changes → one step series per track (value = level index + 1; 0 = no level), up to today. */
export function levelSteps(history: EntityHistoryResponse['levels'], tracks: ScorecardTrack[], now = new Date()): Record<string, unknown>[] {
  const events = [...history].sort((a, b) => a.at.localeCompare(b.at));
  const current: Record<string, number> = {};
  const points: Record<string, unknown>[] = [];
  for (const ev of events) {
    const t = tracks.find((x) => x.trackId === ev.trackId);
    if (!t) continue;
    current[ev.trackId] = levelIndex(t.levels, ev.level) + 1;
    points.push({ day: formatDate(ev.at), ...current });
  }
  if (points.length > 0) {
    const today = { day: formatDate(now.toISOString()), ...Object.fromEntries(tracks.map((t) => [t.trackId, levelIndex(t.levels, t.level) + 1])) };
    points.push(today);
  }
  return points;
}

function LevelHistory({ base, tracks }: { base: string; tracks: ScorecardTrack[] }) {
  const state = useApi<EntityHistoryResponse>(`${base}/history`);
  const longest = tracks.reduce((a, t) => (t.levels.length > a.length ? t.levels.map((l) => l.name) : a), [] as string[]);
  return (
    <Section title="Level history">
      <Async state={state} what="level history">
        {(h) => {
          const points = levelSteps(h.levels, tracks);
          if (points.length === 0) return <Empty>No level changes recorded yet.</Empty>;
          return (
            <SeriesLineChart
              caption="Level per track over time"
              points={points}
              series={tracks.map((t, i) => ({ key: t.trackId, name: t.name, colour: ['#3e4c59', '#2f80ed', '#9b51e0', '#27ae60'][i % 4] }))}
              kind="step"
              yTicks={['No level', ...longest]}
            />
          );
        }}
      </Async>
    </Section>
  );
}

function Facts({ base }: { base: string }) {
  const state = useApi<EntityFactsResponse>(`${base}/facts`);
  return (
    <Section title="Latest facts">
      <Async state={state} what="facts">
        {({ facts }) =>
          facts.length === 0 ? (
            <Empty>No facts collected for this entity yet.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Fact</th>
                  <th scope="col">Collected</th>
                  <th scope="col">Freshness</th>
                  <th scope="col">Source</th>
                  <th scope="col">Data</th>
                </tr>
              </thead>
              <tbody>
                {facts.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <code>{f.id}</code>
                    </td>
                    <td>
                      {formatDateTime(f.collectedAt)} <span className="muted">({age(f.collectedAt)})</span>
                    </td>
                    <td>{f.stale ? <span className="outcome outcome--unknown"><span aria-hidden="true">⏱ </span>Stale</span> : <span className="outcome outcome--pass"><span aria-hidden="true">✓ </span>Fresh</span>}</td>
                    <td>{f.source}</td>
                    <td>
                      <details>
                        <summary>Show</summary>
                        <pre className="code">{JSON.stringify(f.data, null, 2)}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
    </Section>
  );
}

