import { Link } from 'react-router-dom';
import type { TrackList } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { PageHeader } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { Async, Empty } from '../components/states.js';

export function TracksPage() {
  const state = useApi<TrackList>('/tracks');
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
                    {t.levels.map((l) => {
                      const count = t.distribution.levels.find((x) => x.levelId === l.id)?.count ?? 0;
                      return (
                        <span key={l.id} className="spaced">
                          <LevelBadge level={l.id} levels={t.levels} />{' '}
                          <span className="muted">
                            {l.checks.length} checks · {count} at this level
                          </span>
                        </span>
                      );
                    })}
                  </p>
                  {t.gate && (
                    <p className="muted small">
                      Pull-request gate: {t.gate.mode} at {t.levels.find((l) => l.id === t.gate?.level)?.name ?? t.gate.level}; unknown outcomes {t.gate.onUnknown}.
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
