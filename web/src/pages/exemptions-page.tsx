import { Link } from 'react-router-dom';
import type { ExemptionList } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { daysUntil, formatDate } from '../components/format.js';
import { PageHeader } from '../components/layout.js';
import { entityPath, shortName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';
import { useUrlFilters } from '../components/use-url-filters.js';

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'expiring', label: 'Expiring soon' },
  { value: 'all', label: 'All, including expired and revoked' },
];
const KEYS = ['status'] as const;
const EMPTY: Record<string, string> = {
  active: 'No exemption is in force.',
  expiring: 'No exemption expires soon.',
  all: 'No exemption has ever been granted.',
};

export function ExemptionsPage() {
  const { values, set } = useUrlFilters(KEYS);
  const status = STATUSES.some((s) => s.value === values.status) ? values.status : 'active';
  const state = useApi<ExemptionList>(`/exemptions?status=${status}`);
  return (
    <>
      <PageHeader title="Exemptions" />
      <div className="filters">
        <div className="filters__field">
          <label htmlFor="exemption-status">Show</label>
          <select id="exemption-status" value={status} onChange={(e) => set('status', e.target.value === 'active' ? '' : e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Async state={state} what="exemptions">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{EMPTY[status]}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  <th scope="col">Check</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Author</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => {
                  const left = daysUntil(x.expiresAt);
                  return (
                    <tr key={x.id}>
                      <td>
                        <Link to={entityPath(x.entityRef)}>{shortName(x.entityRef)}</Link>
                      </td>
                      <td>
                        <Link to={`/checks/${encodeURIComponent(x.checkId)}`}>{x.checkId}</Link>
                      </td>
                      <td>{x.reason}</td>
                      <td>{x.author}</td>
                      <td>
                        {formatDate(x.expiresAt)}{' '}
                        <span className="muted">
                          {left < 0 ? `${-left} days ago` : `${left} days left`}
                        </span>
                      </td>
                      <td>
                        <span className={`pill${x.status === 'expiring' ? ' pill--warn' : ''}`}>{x.status}</span>
                        {x.revokedBy && <div className="muted small">by {x.revokedBy}</div>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Async>
    </>
  );
}
