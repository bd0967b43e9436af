import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { TeamResponse, TrendResponse } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { levelColour, levelName } from '../components/levels.js';
import { entityPath, shortName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';

const DAY_CHOICES = [30, 90, 180, 365];

export function TeamPage() {
  const { name = '' } = useParams();
  const state = useApi<TeamResponse>(`/teams/${encodeURIComponent(name)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? (state.data.title ?? name) : name} kicker={<Link to="/teams">Teams</Link>} />
      <Async state={state} what={`team ${name}`}>
        {(team) => <Team team={team} />}
      </Async>
    </>
  );
}

function Team({ team }: { team: TeamResponse }) {
  return (
    <div className="grid">
      <Section title="Components × tracks">
        {team.components.length === 0 ? (
          <Empty>This team owns no scored components.</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table grid-table">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  {team.tracks.map((t) => (
                    <th scope="col" key={t.id}>
                      <Link to={`/tracks/${encodeURIComponent(t.id)}`}>{t.name}</Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {team.components.map((c) => (
                  <tr key={c.ref}>
                    <th scope="row">
                      <Link to={entityPath(c.ref)}>{c.title ?? c.name}</Link>
                      {c.type && <span className="muted"> · {c.type}</span>}
                    </th>
                    {team.tracks.map((t) => (
                      <td key={t.id}>{t.id in c.levels ? <LevelBadge level={c.levels[t.id]} levels={t.levels} /> : <span className="muted">not scored</span>}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <TeamTrend name={team.name} tracks={team.tracks} />

      <Section title="Failing checks, by components blocked from their next level">
        {team.failingChecks.length === 0 ? (
          <Empty>Nothing fails: every component of this team passes what its next level asks.</Empty>
        ) : (
          <ol className="fix-list">
            {team.failingChecks.map((c) => {
              const track = team.tracks.find((t) => t.id === c.trackId);
              return (
                <li key={`${c.trackId}-${c.checkId}`} className="card fix">
                  <div className="fix__head">
                    <Link to={`/checks/${encodeURIComponent(c.checkId)}`} className="fix__name">
                      {c.name}
                    </Link>
                    <span className="pill">
                      blocks {c.blocking} {c.blocking === 1 ? 'component' : 'components'}
                    </span>
                    <span className="muted">
                      needed for <LevelBadge level={c.level} levels={track?.levels} small /> {track ? `on ${track.name}` : ''}
                    </span>
                  </div>
                  <p className="remediation">
                    <strong>How to fix:</strong> {c.remediation}
                  </p>
                  <p className="muted">
                    Blocked:{' '}
                    {c.entities.map((ref, i) => (
                      <span key={ref}>
                        {i > 0 && ', '}
                        <Link to={entityPath(ref)}>{shortName(ref)}</Link>
                      </span>
                    ))}
                  </p>
                </li>
              );
            })}
          </ol>
        )}
      </Section>
    </div>
  );
}

function TeamTrend({ name, tracks }: { name: string; tracks: TeamResponse['tracks'] }) {
  const [params, setParams] = useSearchParams();
  const days = DAY_CHOICES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 90;
  const state = useApi<TrendResponse>(`/teams/${encodeURIComponent(name)}/trend?days=${days}`);
  const range = (
    <label className="inline-field">
      Period{' '}
      <select
        value={days}
        onChange={(e) =>
          setParams((p) => {
            const n = new URLSearchParams(p);
            n.set('days', e.target.value);
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
        {(trend) =>
          trend.days.length === 0 ? (
            <Empty>No daily history for this team yet.</Empty>
          ) : (
            <div className="grid grid--charts">
              {tracks.map((t) => (
                <SeriesLineChart
                  key={t.id}
                  caption={`${t.name}: components at or above each level`}
                  points={trend.days.map((d) => ({ day: d.day, ...(d.byTrack[t.id] ?? {}) }))}
                  series={t.levels.map((l, i) => ({ key: l.id, name: levelName(t.levels, l.id), colour: levelColour(l.id, i) }))}
                  kind="count"
                />
              ))}
            </div>
          )
        }
      </Async>
    </Section>
  );
}
