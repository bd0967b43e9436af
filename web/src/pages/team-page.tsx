import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { BlockingCheck, TeamDetail, TeamTrend } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { byTrack, countsRow } from '../charts/distribution.js';
import { LevelStackChart } from '../charts/level-stack-chart.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { HealthBar } from '../components/health-bar.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { entityPath, shortName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';

export const DAY_CHOICES = [30, 90, 180, 365];
const TRACK_COLOURS = ['#2857a4', '#7b3fa0', '#1e7b4f', '#b45309'];

export function TeamPage() {
  const { name = '' } = useParams();
  const state = useApi<TeamDetail>(`/teams/${encodeURIComponent(name)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? (state.data.team.title ?? state.data.team.name) : name} kicker={<Link to="/teams">Teams</Link>} />
      <Async state={state} what={`team ${name}`}>
        {(team) => <Team detail={team} />}
      </Async>
    </>
  );
}

function Team({ detail }: { detail: TeamDetail }) {
  const { team, tracks, components, blockingChecks } = detail;
  return (
    <div className="grid">
      <dl className="facts-line">
        <div>
          <dt>Components</dt>
          <dd>{team.components}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>
            <HealthBar health={team.health} />
          </dd>
        </div>
        <div>
          <dt>All its components</dt>
          <dd>
            <Link to={`/entities?owner=${encodeURIComponent(team.name)}`}>list and filter</Link>
          </dd>
        </div>
      </dl>
      <Section title="Components × tracks">
        {components.length === 0 ? (
          <Empty>This team owns no scored components.</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table grid-table">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  {tracks.map((t) => (
                    <th scope="col" key={t.trackId}>
                      <Link to={`/tracks/${encodeURIComponent(t.trackId)}`}>{t.name}</Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {components.map((c) => (
                  <tr key={c.ref}>
                    <th scope="row">
                      <Link to={entityPath(c.ref)}>{c.title ?? c.name}</Link>
                      {c.type && <span className="muted"> · {c.type}</span>}
                    </th>
                    {tracks.map((t) => {
                      const l = c.levels.find((x) => x.trackId === t.trackId);
                      return <td key={t.trackId}>{l ? <LevelBadge level={l.level} levels={t.levels} /> : <span className="muted">not scored</span>}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <TeamTrendSection name={team.name} tracks={tracks} />

      <Section title="Failing checks, by components blocked from their next level">
        {blockingChecks.length === 0 ? (
          <Empty>Nothing blocks: every component of this team passes what its next level asks.</Empty>
        ) : (
          <ol className="fix-list">
            {blockingChecks.map((c) => (
              <li key={`${c.trackId}-${c.checkId}`} className="card fix">
                <div className="fix__head">
                  <Link to={`/checks/${encodeURIComponent(c.checkId)}`} className="fix__name">
                    {c.name}
                  </Link>
                  <span className="pill">
                    blocks {c.blocks} {c.blocks === 1 ? 'component' : 'components'}
                  </span>
                  <span className="fix__level">{neededFor(c, tracks)}</span>
                  {c.effort && <span className="muted">· effort {c.effort}</span>}
                </div>
                <p className="remediation">
                  <strong>How to fix:</strong> {c.remediation}
                </p>
                <p className="muted small">
                  Blocked:{' '}
                  {c.entities.map((ref, i) => (
                    <span key={ref}>
                      {i > 0 && ', '}
                      <Link to={entityPath(ref)}>{shortName(ref)}</Link>
                    </span>
                  ))}
                </p>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}

/** "needed for Silver on Basics" (or "on Basics" when the track no longer lists the check). */
export function neededFor(check: BlockingCheck, tracks: TeamDetail['tracks']): string {
  const track = tracks.find((t) => t.trackId === check.trackId);
  const trackName = track?.name ?? check.trackId;
  const level = check.levelId ? (track?.levels.find((l) => l.id === check.levelId)?.name ?? check.levelId) : null;
  return level ? `needed for ${level} on ${trackName}` : `on ${trackName}`;
}

function TeamTrendSection({ name, tracks }: { name: string; tracks: TeamDetail['tracks'] }) {
  const [params, setParams] = useSearchParams();
  const days = DAY_CHOICES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 90;
  const state = useApi<TeamTrend>(`/teams/${encodeURIComponent(name)}/trend?days=${days}`);
  const range = (
    <label className="inline-field">
      Period{' '}
      <select
        value={days}
        onChange={(e) =>
          setParams((p) => {
            const n = new URLSearchParams(p);
            if (e.target.value === '90') n.delete('days');
            else n.set('days', e.target.value);
            return n;
          })
        }
      >
        {DAY_CHOICES.map((d) => (
          <option key={d} value={d}>
            {d} days
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Section title="Trend" actions={range}>
      <Async state={state} what="the team trend">
        {(trend) => {
          if (trend.series.length === 0) return <Empty>No daily history for this team yet.</Empty>;
          const perTrack = byTrack(trend.series);
          const days = [...new Set(trend.series.map((s) => s.day))].sort();
          const healthPoints = days.map((day) => ({ day, ...Object.fromEntries(trend.series.filter((s) => s.day === day).map((s) => [s.trackId, s.health])) }));
          return (
            <div className="grid grid--charts">
              <div className="card">
                <SeriesLineChart
                  caption="Health per track (0–100)"
                  points={healthPoints}
                  series={tracks.map((t, i) => ({ key: t.trackId, name: t.name, colour: TRACK_COLOURS[i % TRACK_COLOURS.length] }))}
                  kind="count"
                />
              </div>
              {tracks.map((t) => (
                <div key={t.trackId} className="card">
                  <LevelStackChart caption={`${t.name}: components per level per day`} levels={t.levels} rows={(perTrack.get(t.trackId) ?? []).map((d) => countsRow(d.day, d.levels))} />
                </div>
              ))}
            </div>
          );
        }}
      </Async>
    </Section>
  );
}
