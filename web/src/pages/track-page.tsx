import { Link, useParams } from 'react-router-dom';
import type { TrackResponse } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { LevelStackChart, NONE_KEY } from '../charts/level-stack-chart.js';
import { PageHeader, Section } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { Async, Empty } from '../components/states.js';

export function TrackPage() {
  const { id = '' } = useParams();
  const state = useApi<TrackResponse>(`/tracks/${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? state.data.name : id} kicker={<Link to="/tracks">Tracks</Link>} />
      <Async state={state} what={`track ${id}`}>
        {(t) => {
          const names = new Map(t.checks.map((c) => [c.id, c.name]));
          return (
            <div className="grid">
              <p className="lead">{t.description}</p>
              <Section title="Levels and their checks">
                <ol className="level-list">
                  {t.levels.map((l) => (
                    <li key={l.id} className="card">
                      <h3>
                        <LevelBadge level={l.id} levels={t.levels} />
                      </h3>
                      <ul>
                        {l.checks.map((c) => (
                          <li key={c}>
                            <Link to={`/checks/${encodeURIComponent(c)}`}>{names.get(c) ?? c}</Link>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ol>
              </Section>
              <Section title="Distribution over time">
                {t.trend.length === 0 ? (
                  <Empty>No daily history for this track yet.</Empty>
                ) : (
                  <LevelStackChart
                    caption={`${t.name}: components per level per day`}
                    levels={t.levels}
                    rows={t.trend.map((d) => ({ label: d.day, counts: { ...d.counts, [NONE_KEY]: d.counts.none ?? d.counts[NONE_KEY] ?? 0 } }))}
                  />
                )}
              </Section>
            </div>
          );
        }}
      </Async>
    </>
  );
}
