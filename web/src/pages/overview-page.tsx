import { Link } from 'react-router-dom';
import type { OverviewResponse } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { LevelStackChart, NONE_KEY } from '../charts/level-stack-chart.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { formatDate, percent } from '../components/format.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { levelColour } from '../components/levels.js';
import { entityPath } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';

export function OverviewPage() {
  const state = useApi<OverviewResponse>('/overview');
  return (
    <>
      <PageHeader title="Overview" kicker="All teams, all tracks" />
      <Async state={state} what="the overview">
        {(data) => <Overview data={data} />}
      </Async>
    </>
  );
}

function Overview({ data }: { data: OverviewResponse }) {
  if (data.tracks.length === 0) return <Empty>No tracks are defined yet. Add one under tracks/ and reload the definitions.</Empty>;
  return (
    <div className="grid">
      <Section title="Components per level">
        <div className="grid grid--charts">
          {data.tracks.map((t) => (
            <div key={t.trackId} className="card">
              <h3>
                <Link to={`/tracks/${encodeURIComponent(t.trackId)}`}>{t.name}</Link>
              </h3>
              <LevelStackChart
                caption={`${t.name}: components per level`}
                levels={t.levels}
                rows={[{ label: t.name, counts: Object.fromEntries(t.distribution.map((d) => [d.level ?? NONE_KEY, d.count])) }]}
                height={220}
              />
            </div>
          ))}
        </div>
      </Section>

      <Section title="Share at or above each level, last 90 days">
        <div className="grid grid--charts">
          {data.tracks.map((t) => (
            <div key={t.trackId} className="card">
              <h3>{t.name}</h3>
              {t.trend.length === 0 ? (
                <Empty>No daily history yet: it builds up as scores are recorded each day.</Empty>
              ) : (
                <SeriesLineChart
                  caption={`${t.name}: share of components at or above each level`}
                  points={t.trend.map((p) => ({ day: p.day, ...p.atOrAbove }))}
                  series={t.levels.map((l, i) => ({ key: l.id, name: `${l.name} or above`, colour: levelColour(l.id, i) }))}
                  kind="share"
                />
              )}
            </div>
          ))}
        </div>
      </Section>

      <div className="grid grid--two">
        <Section title="Most failing checks">
          {data.failingChecks.length === 0 ? (
            <Empty>No check fails anywhere.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col" className="num">Failing</th>
                  <th scope="col" className="num">Of</th>
                </tr>
              </thead>
              <tbody>
                {data.failingChecks.map((c) => (
                  <tr key={c.checkId}>
                    <td>
                      <Link to={`/checks/${encodeURIComponent(c.checkId)}`}>{c.name}</Link>
                    </td>
                    <td className="num">{c.failing}</td>
                    <td className="num">{c.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <Section title="Teams by health">
          {data.teams.length === 0 ? (
            <Empty>No team owns a scored component yet.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col" className="num">Components</th>
                  <th scope="col" className="num">Health</th>
                </tr>
              </thead>
              <tbody>
                {data.teams.map((t) => (
                  <tr key={t.name}>
                    <td>
                      <Link to={`/teams/${encodeURIComponent(t.name)}`}>{t.title ?? t.name}</Link>
                    </td>
                    <td className="num">{t.components}</td>
                    <td className="num">
                      <HealthBar share={t.health} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>

      <Section title="What changed this week">
        {data.changes.length === 0 ? (
          <Empty>No level went up or down in the last 7 days.</Empty>
        ) : (
          <ul className="changes">
            {data.changes.map((c, i) => (
              <li key={`${c.entityRef}-${c.trackId}-${i}`}>
                <span className={`change change--${c.direction}`}>
                  <span aria-hidden="true">{c.direction === 'up' ? '▲' : '▼'}</span> {c.direction === 'up' ? 'Up' : 'Down'}
                </span>{' '}
                <Link to={entityPath(c.entityRef)}>{c.name}</Link> on {c.trackId}: <LevelBadge level={c.from} small /> → <LevelBadge level={c.to} small />{' '}
                <span className="muted">{formatDate(c.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

export function HealthBar({ share }: { share: number }) {
  return (
    <span className="health">
      <span className="health__bar" aria-hidden="true">
        <span style={{ width: `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%` }} />
      </span>
      {percent(share)}
    </span>
  );
}
