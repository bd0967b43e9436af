/** The fact values that decided an outcome: each path the rule read, and what it held. */

const MAX_TEXT = 120;

/** A value as short readable text; `null`/`undefined` mean the fact path was missing. */
export function formatValue(value: unknown): { text: string; missing: boolean } {
  if (value === null || value === undefined) return { text: 'missing', missing: true };
  if (typeof value === 'string') return { text: truncate(JSON.stringify(value)), missing: false };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), missing: false };
  if (Array.isArray(value) && value.length === 0) return { text: '[] (empty)', missing: false };
  return { text: truncate(JSON.stringify(value)), missing: false };
}

function truncate(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

export function OutcomeValues({ values }: { values: Record<string, unknown> | null | undefined }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <p className="values values--none">No fact values were read.</p>;
  return (
    <dl className="values">
      {entries.map(([path, value]) => {
        const v = formatValue(value);
        return (
          <div key={path} className="values__row">
            <dt>
              <code>{path}</code>
            </dt>
            <dd className={v.missing ? 'values__missing' : undefined}>{v.missing ? <em>missing</em> : <code>{v.text}</code>}</dd>
          </div>
        );
      })}
    </dl>
  );
}
