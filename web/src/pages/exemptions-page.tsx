import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, apiRequest } from '../api/client.js';
import { canManageExemptions, useMe } from '../api/me.js';
import type { ExemptionItem, ExemptionList } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { daysUntil, formatDate } from '../components/format.js';
import { PageHeader } from '../components/layout.js';
import { entityPath, shortName } from '../components/refs.js';
import { Async, Empty, ErrorState } from '../components/states.js';
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

const revocable = (x: ExemptionItem) => x.status === 'active' || x.status === 'expiring';

export function ExemptionsPage() {
  const { values, set } = useUrlFilters(KEYS);
  const status = STATUSES.some((s) => s.value === values.status) ? values.status : 'active';
  const state = useApi<ExemptionList>(`/exemptions?status=${status}`);
  const admin = canManageExemptions(useMe());
  const [announcement, setAnnouncement] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (announcement) statusRef.current?.focus();
  }, [announcement]);
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
      <p ref={statusRef} tabIndex={-1} className={announcement ? 'form-status' : 'visually-hidden'} role="status">
        {announcement}
      </p>
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
                  {admin && <th scope="col">Actions</th>}
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
                      {admin && (
                        <td>
                          {revocable(x) && (
                            <RevokeControl
                              exemption={x}
                              onRevoked={() => {
                                setAnnouncement(`Revoked the exemption of ${shortName(x.entityRef)} from ${x.checkId}.`);
                                state.reload();
                              }}
                            />
                          )}
                        </td>
                      )}
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

/** "Revoke" → "Revoke this exemption? [Yes, revoke] [Cancel]" → `DELETE /exemptions/:id`. */
export function RevokeControl({ exemption, onRevoked }: { exemption: ExemptionItem; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const what = `the exemption of ${shortName(exemption.entityRef)} from ${exemption.checkId}`;
  const path = `/exemptions/${encodeURIComponent(exemption.id)}`;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiRequest<ExemptionItem>(path, { method: 'DELETE' });
      setConfirming(false);
      onRevoked();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('DELETE', path, null, null, String(err)));
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setConfirming(false);
    setError(null);
    requestAnimationFrame(() => revokeRef.current?.focus());
  };

  if (!confirming) {
    return (
      <button ref={revokeRef} type="button" onClick={() => setConfirming(true)} aria-label={`Revoke ${what}`}>
        Revoke
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={`Confirm revoking ${what}`}>
      <p className="confirm__question">Revoke {what}? The component is rescored at once.</p>
      <div className="form-actions">
        <button ref={confirmRef} type="button" className="button--danger" onClick={revoke} disabled={busy}>
          {busy ? 'Revoking…' : 'Yes, revoke'}
        </button>
        <button type="button" onClick={cancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && <ErrorState error={error} title="The exemption was not revoked." />}
    </div>
  );
}
