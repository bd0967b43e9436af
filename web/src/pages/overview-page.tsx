import { Link } from 'react-router-dom';
import type { Overview } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { byTrack, countsRow, levelsOf } from '../charts/distribution.js';
import { LevelStackChart } from '../charts/level-stack-chart.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { formatDate } from '../components/format.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { levelColour } from '../components/levels.js';
import { entityPath, shortName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';
import { HealthBar } from '../components/health-bar.js';

export function OverviewPage() {
  const state = useApi<Overview>('/overview');
  return (
    <>
      <PageHeader title="Overview" kicker="All teams, all tracks" />
      <Async state={state} what="the overview">
        {(data) => <OverviewView data={data} />}
      </Async>
    </>
  );
}

function OverviewView({ data }: { data: Overview }) {
  if (data.tracks.length === 0) return <Empty>No tracks are defined yet. Add one under tracks/ and reload the definitions.</Empty>;
  const daily = byTrack(data.daily);
  const trackName = new Map(data.tracks.map((t) => [t.trackId, t.name]));
  const levelNames = new Map(data.tracks.flatMap((t) => t.levels.filter((l) => l.levelId).map((l) => [`${t.trackId}/${l.levelId}`, l.name] as const)));
  return (
    <div className="grid">
      <p className="lead">
        {data.components} scored {data.components === 1 ? 'entity' : 'entities'} on {data.tracks.length} {data.tracks.length === 1 ? 'track' : 'tracks'}.
      </p>
      <Section title="Components per level">
        <div className="card">
          <LevelStackChart caption="Components per level, per track" levels={levelsOf(data.tracks)} rows={data.tracks.map((t) => countsRow(t.name, t.levels))} />
        </div>
      </Section>

      <Section title="Share at or above each level, last 90 days">
        <div className="grid grid--charts">
          {data.tracks.map((t) => {
            const points = daily.get(t.trackId) ?? [];
            const levels = levelsOf([t]);
            return (
              <div key={t.trackId} className="card">
                <h3>
                  <Link to={`/tracks/${encodeURIComponent(t.trackId)}`}>{t.name}</Link>
                </h3>
                {points.length === 0 ? (
                  <Empty>No daily history yet: it builds up as scores are recorded each day.</Empty>
                ) : (
                  <SeriesLineChart
                    caption={`${t.name}: share of components at or above each level`}
                    points={points.map((p) => ({ day: p.day, ...Object.fromEntries(p.atOrAbove.map((a) => [a.levelId, a.share])) }))}
                    series={levels.map((l, i) => ({ key: l.id, name: `${l.name} or above`, colour: levelColour(l.id, i) }))}
                    kind="share"
                  />
                )}
              </div>
            );
          })}
        </div>
      </Section>

      <div className="grid grid--two">
        <Section title="Most failing checks">
          {data.mostFailingChecks.length === 0 ? (
            <Empty>No check fails anywhere.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col" className="num">Failing</th>
                </tr>
              </thead>
              <tbody>
                {data.mostFailingChecks.map((c) => (
                  <tr key={c.checkId}>
                    <td>
                      <Link to={`/checks/${encodeURIComponent(c.checkId)}`}>{c.name}</Link>
                    </td>
                    <td className="num">{c.failing}</td>
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
                  <tr key={t.ref}>
                    <td>
                      <Link to={`/teams/${encodeURIComponent(t.name)}`}>{t.title ?? t.name}</Link>
                    </td>
                    <td className="num">{t.components}</td>
                    <td className="num">
                      <HealthBar health={t.health} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>

      <Section title="What changed this week">
        {data.levelMoves.tracks.length > 0 && (
        <p className="muted">
          Since {formatDate(data.levelMoves.since)}:{' '}
          {data.levelMoves.tracks.map((t, i) => (
            <span key={t.trackId}>
              {i > 0 && '; '}
              {trackName.get(t.trackId) ?? t.trackId} <span className="change change--up"><span aria-hidden="true">▲</span> {t.ups} up</span>,{' '}
              <span className="change change--down"><span aria-hidden="true">▼</span> {t.downs} down</span>
            </span>
          ))}
        </p>
        )}
        {data.levelMoves.recent.length === 0 ? (
          <Empty>No level went up or down in the last 7 days.</Empty>
        ) : (
          <ul className="changes">
            {data.levelMoves.recent.map((c, i) => (
              <li key={`${c.entityRef}-${c.trackId}-${i}`}>
                <span className={`change change--${c.direction}`}>
                  <span aria-hidden="true">{c.direction === 'up' ? '▲' : '▼'}</span> {c.direction === 'up' ? 'Up' : 'Down'}
                </span>{' '}
                <Link to={entityPath(c.entityRef)}>{shortName(c.entityRef)}</Link> on {trackName.get(c.trackId) ?? c.trackId}:{' '}
                <LevelBadge level={c.from} levels={c.from ? [{ id: c.from, name: levelNames.get(`${c.trackId}/${c.from}`) ?? c.from }] : []} small /> →{' '}
                <LevelBadge level={c.to} levels={c.to ? [{ id: c.to, name: levelNames.get(`${c.trackId}/${c.to}`) ?? c.to }] : []} small />{' '}
                <span className="muted">{formatDate(c.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
