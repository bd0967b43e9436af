import { Link, useParams } from 'react-router-dom';
import type { CheckDetail } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { formatDate, percent } from '../components/format.js';
import { PageHeader, Section } from '../components/layout.js';
import { OutcomeBadge } from '../components/outcome-badge.js';
import { entityPath, shortName, teamName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';

export function CheckPage() {
  const { id = '' } = useParams();
  const state = useApi<CheckDetail>(`/checks/${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? state.data.name : id} kicker={<Link to="/checks">Checks</Link>} />
      <Async state={state} what={`check ${id}`}>
        {(c) => <Check c={c} />}
      </Async>
    </>
  );
}

function Check({ c }: { c: CheckDetail }) {
  const def = c.definition as { rule?: unknown; appliesTo?: unknown; remediation?: unknown };
  return (
    <div className="grid">
      <p className="lead">{c.description}</p>
      <dl className="facts-line">
        <div>
          <dt>Check id</dt>
          <dd>
            <code>{c.id}</code>
          </dd>
        </div>
        <div>
          <dt>Pass rate</dt>
          <dd>{percent(c.passRate)}</dd>
        </div>
        <div>
          <dt>Not passing</dt>
          <dd>{c.failing.length}</dd>
        </div>
        <div>
          <dt>Used in</dt>
          <dd>
            {c.levels.length === 0
              ? 'no track'
              : c.levels.map((l, i) => (
                  <span key={`${l.trackId}/${l.levelId}`}>
                    {i > 0 && ', '}
                    <Link to={`/tracks/${encodeURIComponent(l.trackId)}`}>{l.trackId}</Link> / {l.levelId}
                  </span>
                ))}
          </dd>
        </div>
      </dl>
      {typeof def.remediation === 'string' && (
        <p className="remediation">
          <strong>How to fix:</strong> {def.remediation}
          {c.effort && <span className="muted"> (effort: {c.effort})</span>}
        </p>
      )}

      <Section title="Pass rate over time">
        {c.daily.length === 0 ? (
          <Empty>No daily history for this check yet.</Empty>
        ) : (
          <div className="card">
            <SeriesLineChart caption={`${c.name}: pass rate per day`} points={c.daily.map((h) => ({ day: h.day, passRate: h.passRate }))} series={[{ key: 'passRate', name: 'Pass rate', colour: '#1e7b4f' }]} kind="share" />
          </div>
        )}
      </Section>

      <Section title="Components not passing">
        {c.failing.length === 0 ? (
          <Empty>Every entity this check applies to passes it.</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Owner</th>
                <th scope="col">Outcome</th>
                <th scope="col">Why</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {c.failing.map((f) => (
                <tr key={f.entityRef}>
                  <td>
                    <Link to={entityPath(f.entityRef)}>{shortName(f.entityRef)}</Link>
                  </td>
                  <td>{f.owner ? <Link to={`/teams/${encodeURIComponent(teamName(f.owner) ?? '')}`}>{teamName(f.owner)}</Link> : <span className="muted">none</span>}</td>
                  <td>
                    <OutcomeBadge outcome={f.outcome} />
                  </td>
                  <td>{f.message}</td>
                  <td>{formatDate(f.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <div className="grid grid--two">
        <Section title="Rule">
          <pre className="code" tabIndex={0} aria-label="Rule as JsonLogic">
            {JSON.stringify(def.rule, null, 2)}
          </pre>
          {def.appliesTo !== undefined && def.appliesTo !== null && (
            <>
              <h3>Applies to</h3>
              <pre className="code" tabIndex={0} aria-label="Applies-to condition as JsonLogic">
                {JSON.stringify(def.appliesTo, null, 2)}
              </pre>
            </>
          )}
        </Section>
        <Section title="Facts it reads">
          {c.facts.length === 0 ? (
            <Empty>Only the catalog entity.</Empty>
          ) : (
            <ul>
              {c.facts.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </div>
  );
}
