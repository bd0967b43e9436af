import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * Filters kept in the URL's query string, so every filtered view is a link and back/forward
 * walk through filter changes. Changing any filter other than `offset` resets paging.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]): {
  values: Record<K, string>;
  set: (key: K, value: string) => void;
  clear: () => void;
} {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>, [params, keys]);
  const set = useCallback(
    (key: K, value: string) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'offset') next.delete('offset');
        return next;
      });
    },
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { values, set, clear };
}
