import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, apiRequest } from '../api/client.js';
import { canManageExemptions, canRefresh, useMe } from '../api/me.js';
import type { EntityFacts, EntityHistory, Scorecard as ScorecardData, ScorecardCheck, ScorecardTrack } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { age, daysUntil, formatDate, formatDateTime } from '../components/format.js';
import { GrantExemptionForm } from '../components/exemption-form.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { LevelLadder } from '../components/level-ladder.js';
import { OutcomeBadge } from '../components/outcome-badge.js';
import { OutcomeValues } from '../components/outcome-values.js';
import { teamName } from '../components/refs.js';
import { Async, Empty, ErrorState } from '../components/states.js';

export function EntityPage() {
  const { kind = '', namespace = '', name = '' } = useParams();
  const base = `/entities/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const state = useApi<ScorecardData>(base);
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

function Scorecard({ card, base, reload }: { card: ScorecardData; base: string; reload: () => void }) {
  const e = card.entity;
  const owner = teamName(e.owner);
  const [params, setParams] = useSearchParams();
  const only = params.get('show') === 'failing' ? 'failing' : 'all';
  const allChecks = new Map<string, string>(card.tracks.flatMap((t) => t.levels.flatMap((l) => l.checks.map((c) => [c.checkId, c.name] as const))));
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
        <RefreshButton base={base} githubSlug={e.githubSlug} onDone={reload} />
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
            <TrackChecks key={t.trackId} track={t} only={only} entityRef={e.ref} onChange={reload} />
          ))}
          {card.otherChecks.length > 0 && (
            <div className="track-checks">
              <h3>Checks outside the tracks</h3>
              <ul className="check-list">
                {card.otherChecks.filter((c) => only === 'all' || !PASSING.has(c.outcome)).map((c) => (
                  <CheckRow key={c.checkId} check={c} entityRef={e.ref} onChange={reload} />
                ))}
              </ul>
            </div>
          )}
        </Section>
      )}

      <LevelHistory base={base} tracks={card.tracks} />
      <Facts base={base} />
    </div>
  );
}

const PASSING = new Set(['pass', 'not-applicable']);

function TrackChecks({ track, only, entityRef, onChange }: { track: ScorecardTrack; only: 'all' | 'failing'; entityRef: string; onChange: () => void }) {
  return (
    <div className="track-checks">
      <h3>{track.name}</h3>
      {track.levels.map((lvl) => {
        const checks = only === 'failing' ? lvl.checks.filter((c) => !PASSING.has(c.outcome)) : lvl.checks;
        return (
          <div key={lvl.id} className="level-group">
            <h4>
              <LevelBadge level={lvl.id} levels={track.levels} />
              <span className="muted"> {lvl.reached ? '· reached' : ''}</span>
              <span className="muted"> {lvl.checks.filter((c) => c.outcome === 'pass' || c.outcome === 'exempt').length}/{lvl.checks.length} passing</span>
            </h4>
            {checks.length === 0 ? (
              <p className="muted">Every check of this level passes.</p>
            ) : (
              <ul className="check-list">
                {checks.map((c) => (
                  <CheckRow key={c.checkId} check={c} entityRef={entityRef} onChange={onChange} />
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** One check's result; for admins, a non-passing check offers "Grant exemption" (`onChange` after it was granted). */
export function CheckRow({ check, entityRef, onChange }: { check: ScorecardCheck; entityRef?: string; onChange?: () => void }) {
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
        <summary>Values that decided it{check.changedAt ? ` (outcome since ${formatDate(check.changedAt)})` : ''}</summary>
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
          {check.effort && <span className="muted"> (effort: {check.effort})</span>}
          {check.docsUrl && (
            <>
              {' '}
              <a href={check.docsUrl} rel="noreferrer" target="_blank">
                More
              </a>
            </>
          )}
        </p>
      )}
      {entityRef && <ExemptionControl check={check} entityRef={entityRef} failing={failing} onGranted={onChange} />}
    </li>
  );
}

/** "Grant exemption" → the form, for admin tokens and non-passing checks; a status line once granted. */
function ExemptionControl({ check, entityRef, failing, onGranted }: { check: ScorecardCheck; entityRef: string; failing: boolean; onGranted?: () => void }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [granted, setGranted] = useState<string | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const formId = useId();
  useEffect(() => {
    if (granted) statusRef.current?.focus();
  }, [granted]);
  if (!canManageExemptions(me)) return null;
  if (granted) {
    return (
      <p ref={statusRef} tabIndex={-1} className="form-status" role="status">
        <span aria-hidden="true">✓ </span>Exemption granted until {granted}.
      </p>
    );
  }
  if (!failing) return null;
  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  return (
    <div className="exemption-control">
      <button ref={toggleRef} type="button" aria-expanded={open} aria-controls={open ? formId : undefined} onClick={() => setOpen(!open)}
        aria-label={`Grant exemption from ${check.name}`}
      >
        Grant exemption
      </button>
      {open && (
        <div id={formId}>
          <GrantExemptionForm
            entityRef={entityRef}
            checkId={check.checkId}
            checkName={check.name}
            onCancel={close}
            onGranted={(created) => {
              setGranted(formatDate(created.expiresAt));
              onGranted?.();
            }}
          />
        </div>
      )}
    </div>
  );
}

/** "Refresh now", shown only when the signed-in token may refresh this entity. */
export function RefreshButton({ base, githubSlug, onDone }: { base: string; githubSlug: string | null; onDone: () => void }) {
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  // Offered only to tokens the server would let refresh this entity: admin, or ci for its repository.
  if (!canRefresh(me, githubSlug)) return null;
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
      {error && <ErrorState error={error} title="The refresh failed." />}
    </div>
  );
}

/**
 * The daily level series (one row per day and track) → chart points `{ day, <trackId>: step }`,
 * where step 0 is "no level" and n the n-th level. Without daily rows, the level changes are used.
 */
export function levelSteps(history: EntityHistory, tracks: ScorecardTrack[]): Record<string, unknown>[] {
  const known = new Set(tracks.map((t) => t.trackId));
  if (history.daily.length > 0) {
    const days = new Map<string, Record<string, unknown>>();
    for (const d of history.daily) {
      if (!known.has(d.trackId)) continue;
      const row = days.get(d.day) ?? { day: d.day };
      row[d.trackId] = d.levelIndex + 1;
      days.set(d.day, row);
    }
    return [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  }
  const current: Record<string, number> = {};
  const points: Record<string, unknown>[] = [];
  for (const ev of [...history.levelChanges].sort((a, b) => a.at.localeCompare(b.at))) {
    const t = tracks.find((x) => x.trackId === ev.trackId);
    if (!t) continue;
    current[ev.trackId] = t.levels.findIndex((l) => l.id === ev.level) + 1;
    points.push({ day: formatDate(ev.at), ...current });
  }
  return points;
}

const TRACK_COLOURS = ['#2857a4', '#7b3fa0', '#1e7b4f', '#b45309'];

function LevelHistory({ base, tracks }: { base: string; tracks: ScorecardTrack[] }) {
  const state = useApi<EntityHistory>(`${base}/history?days=90`);
  const longest = tracks.reduce((a, t) => (t.levels.length > a.length ? t.levels.map((l) => l.name) : a), [] as string[]);
  return (
    <Section title="Level history, last 90 days">
      <Async state={state} what="level history">
        {(h) => {
          const points = levelSteps(h, tracks);
          if (points.length === 0) return <Empty>No level history recorded yet.</Empty>;
          return (
            <div className="card">
              <SeriesLineChart
                caption="Level per track over time"
                points={points}
                series={tracks.map((t, i) => ({ key: t.trackId, name: t.name, colour: TRACK_COLOURS[i % TRACK_COLOURS.length] }))}
                kind="step"
                yTicks={['No level', ...longest]}
              />
            </div>
          );
        }}
      </Async>
    </Section>
  );
}

function Facts({ base }: { base: string }) {
  const state = useApi<EntityFacts>(`${base}/facts`);
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
                      {f.lastError && (
                        <div className="small outcome--error">
                          <span aria-hidden="true">! </span>Last collection failed {age(f.lastErrorAt)}: {f.lastError}
                        </div>
                      )}
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

