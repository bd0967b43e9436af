import { Link } from 'react-router-dom';
import type { CheckList } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { FilterBar } from '../components/filter-bar.js';
import { percent } from '../components/format.js';
import { PageHeader } from '../components/layout.js';
import { Async, Empty } from '../components/states.js';
import { useUrlFilters } from '../components/use-url-filters.js';

const KEYS = ['q', 'tag', 'sort'] as const;

export function ChecksPage() {
  const state = useApi<CheckList>('/checks');
  const { values, set, clear } = useUrlFilters(KEYS);
  const tags = state.status === 'ok' ? [...new Set(state.data.items.flatMap((c) => c.tags))].sort() : [];
  return (
    <>
      <PageHeader title="Checks" />
      <FilterBar
        selects={[
          { key: 'tag', label: 'Tag', options: tags.map((t) => ({ value: t, label: t })) },
          { key: 'sort', label: 'Order', emptyLabel: 'Most failing first', options: [{ value: 'name', label: 'By name' }] },
        ]}
        values={values}
        onChange={(k, v) => set(k as (typeof KEYS)[number], v)}
        onClear={clear}
        search={{ key: 'q', label: 'Search' }}
      />
      <Async state={state} what="checks">
        {({ items }) => {
          const q = values.q.toLowerCase();
          const shown = items
            .filter((c) => (!values.tag || c.tags.includes(values.tag)) && (!q || `${c.id} ${c.name} ${c.description}`.toLowerCase().includes(q)))
            .sort((a, b) => (values.sort === 'name' ? a.name.localeCompare(b.name) : b.counts.fail + b.counts.error - (a.counts.fail + a.counts.error) || a.name.localeCompare(b.name)));
          if (shown.length === 0) return <Empty>{items.length === 0 ? 'No checks are defined.' : 'No check matches these filters.'}</Empty>;
          return (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Tags</th>
                  <th scope="col" className="num">Pass rate</th>
                  <th scope="col" className="num">Fail</th>
                  <th scope="col" className="num">Unknown</th>
                  <th scope="col" className="num">Exempt</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/checks/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                      <div className="muted small">{c.description}</div>
                    </td>
                    <td>{c.tags.join(', ')}</td>
                    <td className="num">{percent(c.passRate)}</td>
                    <td className="num">{c.counts.fail + c.counts.error}</td>
                    <td className="num">{c.counts.unknown}</td>
                    <td className="num">{c.counts.exempt}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Async>
    </>
  );
}
