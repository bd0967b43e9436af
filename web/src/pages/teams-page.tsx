import { Link } from 'react-router-dom';
import type { TeamList } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { HealthBar } from '../components/health-bar.js';
import { PageHeader } from '../components/layout.js';
import { LevelBadge } from '../components/level-badge.js';
import { Async, Empty } from '../components/states.js';

export function TeamsPage() {
  const state = useApi<TeamList>('/teams');
  return (
    <>
      <PageHeader title="Teams" />
      <Async state={state} what="teams">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>No teams: no scored component names an owner group.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col" className="num">Components</th>
                  <th scope="col" className="num">Health</th>
                  <th scope="col">Levels</th>
                </tr>
              </thead>
              <tbody>
                {items.map((t) => (
                  <tr key={t.ref}>
                    <td>
                      <Link to={`/teams/${encodeURIComponent(t.name)}`}>{t.title ?? t.name}</Link>
                    </td>
                    <td className="num">{t.components}</td>
                    <td className="num">
                      <HealthBar health={t.health} />
                    </td>
                    <td>
                      {t.tracks.map((tr) => (
                        <div key={tr.trackId} className="small">
                          <strong>{tr.name}:</strong>{' '}
                          {tr.levels
                            .filter((l) => l.count > 0)
                            .map((l) => (
                              <span key={l.levelId ?? 'none'} className="spaced">
                                {l.count} × <LevelBadge level={l.levelId} levels={l.levelId ? [{ id: l.levelId, name: l.name }] : []} small />
                              </span>
                            ))}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Async>
    </>
  );
}
