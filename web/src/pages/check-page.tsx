import { Link, useParams } from 'react-router-dom';
import type { CheckResponse } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { SeriesLineChart } from '../charts/series-line-chart.js';
import { percent } from '../components/format.js';
import { PageHeader, Section } from '../components/layout.js';
import { OutcomeBadge } from '../components/outcome-badge.js';
import { entityPath, teamName } from '../components/refs.js';
import { Async, Empty } from '../components/states.js';

/** Pass rate of a day: passing (and exempt) over the entities the check applies to. */
export function dailyPassRate(h: CheckResponse['history'][number]): number | null {
  const applicable = h.pass + h.fail + h.unknown + h.error + h.exempt;
  return applicable === 0 ? null : (h.pass + h.exempt) / applicable;
}

export function CheckPage() {
  const { id = '' } = useParams();
  const state = useApi<CheckResponse>(`/checks/${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader title={state.status === 'ok' ? state.data.name : id} kicker={<Link to="/checks">Checks</Link>} />
      <Async state={state} what={`check ${id}`}>
        {(c) => (
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
            </dl>
            <p className="remediation">
              <strong>How to fix:</strong> {c.remediation}
            </p>

            <Section title="Pass rate over time">
              {c.history.length === 0 ? (
                <Empty>No daily history for this check yet.</Empty>
              ) : (
                <SeriesLineChart caption={`${c.name}: pass rate per day`} points={c.history.map((h) => ({ day: h.day, passRate: dailyPassRate(h) }))} series={[{ key: 'passRate', name: 'Pass rate', colour: '#2f6f4f' }]} kind="share" />
              )}
            </Section>

            <Section title="Components not passing">
              {c.failing.length === 0 ? (
                <Empty>Every component this check applies to passes it.</Empty>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Component</th>
                      <th scope="col">Owner</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.failing.map((f) => (
                      <tr key={f.ref}>
                        <td>
                          <Link to={entityPath(f.ref)}>{f.name}</Link>
                        </td>
                        <td>{f.owner ? <Link to={`/teams/${encodeURIComponent(teamName(f.owner) ?? '')}`}>{teamName(f.owner)}</Link> : <span className="muted">none</span>}</td>
                        <td>
                          <OutcomeBadge outcome={f.outcome} />
                        </td>
                        <td>{f.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>

            <div className="grid grid--two">
              <Section title="Rule">
                <pre className="code" aria-label="Rule as JsonLogic">{JSON.stringify(c.rule, null, 2)}</pre>
                {c.appliesTo !== undefined && c.appliesTo !== null && (
                  <>
                    <h3>Applies to</h3>
                    <pre className="code">{JSON.stringify(c.appliesTo, null, 2)}</pre>
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
        )}
      </Async>
    </>
  );
}
