import { Link, useParams } from 'react-router-dom';
import type { TrackDetail } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { countsRow } from '../charts/distribution.js';
import { LevelStackChart } from '../charts/level-stack-chart.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { Async, Empty } from '../components/states.js';

export function TrackPage() {
  const { id = '' } = useParams();
  const state = useApi<TrackDetail>(`/tracks/${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? state.data.name : id} kicker={<Link to="/tracks">Tracks</Link>} />
      <Async state={state} what={`track ${id}`}>
        {(t) => (
          <div className="grid">
            <p className="lead">{t.description}</p>
            <Section title="Where components stand now">
              <div className="card">
                <LevelStackChart caption={`${t.name}: components per level today`} levels={t.levels} rows={[countsRow(t.name, t.distribution.levels)]} height={200} />
                <p className="small">
                  {t.distribution.levels.map((l) => (
                    <span key={l.levelId ?? 'none'} className="spaced">
                      <LevelBadge level={l.levelId} levels={t.levels} small /> {l.count}
                      {' '}
                      <Link to={`/entities?track=${encodeURIComponent(t.id)}&level=${encodeURIComponent(l.levelId ?? 'none')}&levelMode=exact`}>list</Link>
                    </span>
                  ))}
                </p>
              </div>
            </Section>
            <Section title="Levels and their checks">
              <ol className="level-list">
                {t.levels.map((l) => (
                  <li key={l.id} className="card">
                    <h3>
                      <LevelBadge level={l.id} levels={t.levels} />
                      {t.gate?.level === l.id && <span className="pill"> pull-request gate ({t.gate.mode})</span>}
                    </h3>
                    <ul>
                      {l.checks.map((c) => (
                        <li key={c.id}>
                          <Link to={`/checks/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            </Section>
            <Section title="Distribution over time">
              {t.daily.length === 0 ? (
                <Empty>No daily history for this track yet.</Empty>
              ) : (
                <div className="card">
                  <LevelStackChart caption={`${t.name}: components per level per day`} levels={t.levels} rows={t.daily.map((d) => countsRow(d.day, d.levels))} />
                </div>
              )}
            </Section>
          </div>
        )}
      </Async>
    </>
  );
}
