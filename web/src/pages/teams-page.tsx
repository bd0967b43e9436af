import { Link } from 'react-router-dom';
import type { TeamListItem } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { PageHeader } from '../components/layout.js';
import { Async, Empty } from '../components/states.js';
import { HealthBar } from './overview-page.js';

export function TeamsPage() {
  const state = useApi<{ items: TeamListItem[] }>('/teams');
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
                </tr>
              </thead>
              <tbody>
                {items.map((t) => (
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
          )
        }
      </Async>
    </>
  );
}
