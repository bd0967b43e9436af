import { useEffect, useId, useState } from 'react';

export interface SelectFilter {
  key: string;
  label: string;
  options: { value: string; label: string }[];
  /** What the empty choice means (default "All"). */
  emptyLabel?: string;
}

/** Labelled filter controls. The text search commits on Enter or after a pause, not on every key. */
export function FilterBar({
  selects,
  values,
  onChange,
  onClear,
  search,
}: {
  selects: SelectFilter[];
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
  onClear: () => void;
  search?: { key: string; label: string };
}) {
  const base = useId();
  const searchValue = search ? values[search.key] ?? '' : '';
  const [text, setText] = useState(searchValue);
  useEffect(() => setText(searchValue), [searchValue]);
  useEffect(() => {
    if (!search || text === searchValue) return;
    const t = setTimeout(() => onChange(search.key, text), 400);
    return () => clearTimeout(t);
  }, [text, search, searchValue, onChange]);
  const active = Object.entries(values).some(([k, v]) => k !== 'offset' && v);
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        if (search) onChange(search.key, text);
      }}
    >
      {search && (
        <div className="filters__field">
          <label htmlFor={`${base}-${search.key}`}>{search.label}</label>
          <input id={`${base}-${search.key}`} type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      )}
      {selects.map((s) => (
        <div className="filters__field" key={s.key}>
          <label htmlFor={`${base}-${s.key}`}>{s.label}</label>
          <select id={`${base}-${s.key}`} value={values[s.key] ?? ''} onChange={(e) => onChange(s.key, e.target.value)}>
            <option value="">{s.emptyLabel ?? 'All'}</option>
            {s.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button type="button" className="link-button" onClick={onClear} disabled={!active}>
        Clear filters
      </button>
    </form>
  );
}
