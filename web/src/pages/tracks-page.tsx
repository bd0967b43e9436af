import { Link } from 'react-router-dom';
import type { TrackSummary } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { PageHeader } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { Async, Empty } from '../components/states.js';

export function TracksPage() {
  const state = useApi<{ items: TrackSummary[] }>('/tracks');
  return (
    <>
      <PageHeader title="Tracks" />
      <Async state={state} what="tracks">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No tracks are defined.</Empty>
          ) : (
            <ul className="card-list">
              {items.map((t) => (
                <li key={t.id} className="card">
                  <h2>
                    <Link to={`/tracks/${encodeURIComponent(t.id)}`}>{t.name}</Link>
                  </h2>
                  <p>{t.description}</p>
                  <p>
                    {t.levels.map((l) => (
                      <span key={l.id} className="spaced">
                        <LevelBadge level={l.id} levels={t.levels} /> <span className="muted">{l.checks.length} checks</span>
                      </span>
                    ))}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
