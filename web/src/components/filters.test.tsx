// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FilterBar } from './filter-bar.js';
import { useUrlFilters } from './use-url-filters.js';

const KEYS = ['q', 'owner', 'level', 'offset'] as const;

function Filters() {
  const { values, set, clear } = useUrlFilters(KEYS);
  const location = useLocation();
  return (
    <>
      <FilterBar
        selects={[
          { key: 'owner', label: 'Owner', options: [{ value: 'payments', label: 'Payments' }, { value: 'routing', label: 'Routing' }] },
          { key: 'level', label: 'Level', options: [{ value: 'gold', label: 'Gold' }] },
        ]}
        values={values}
        onChange={(k, v) => set(k as (typeof KEYS)[number], v)}
        onClear={clear}
        search={{ key: 'q', label: 'Search' }}
      />
      <output data-testid="search">{location.search}</output>
    </>
  );
}

function renderAt(url: string) {
  const router = createMemoryRouter([{ path: '/entities', element: <Filters /> }], { initialEntries: [url] });
  render(<RouterProvider router={router} />);
  return router;
}

const search = () => screen.getByTestId('search').textContent;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('filters ↔ URL', () => {
  it('fills the controls from a deep link', () => {
    renderAt('/entities?owner=routing&level=gold&q=api');
    expect((screen.getByLabelText('Owner') as HTMLSelectElement).value).toBe('routing');
    expect((screen.getByLabelText('Level') as HTMLSelectElement).value).toBe('gold');
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('api');
  });

  it('writes a changed filter into the URL and resets paging', () => {
    renderAt('/entities?level=gold&offset=50');
    fireEvent.change(screen.getByLabelText('Owner'), { target: { value: 'payments' } });
    expect(search()).toBe('?level=gold&owner=payments');
    fireEvent.change(screen.getByLabelText('Level'), { target: { value: '' } });
    expect(search()).toBe('?owner=payments');
  });

  it('commits the search text on Enter and after a pause, not on every key', () => {
    vi.useFakeTimers();
    renderAt('/entities');
    const box = screen.getByLabelText('Search');
    fireEvent.change(box, { target: { value: 'pay' } });
    expect(search()).toBe('');
    act(() => {
      vi.advanceTimersByTime(500);
    });
    expect(search()).toBe('?q=pay');
    fireEvent.change(box, { target: { value: 'payments' } });
    fireEvent.submit(box.closest('form')!);
    expect(search()).toBe('?q=payments');
  });

  it('follows back and forward', async () => {
    const router = renderAt('/entities');
    fireEvent.change(screen.getByLabelText('Owner'), { target: { value: 'payments' } });
    fireEvent.change(screen.getByLabelText('Owner'), { target: { value: 'routing' } });
    await act(() => router.navigate(-1));
    expect((screen.getByLabelText('Owner') as HTMLSelectElement).value).toBe('payments');
    await act(() => router.navigate(1));
    expect((screen.getByLabelText('Owner') as HTMLSelectElement).value).toBe('routing');
  });

  it('clears every filter at once', () => {
    renderAt('/entities?owner=routing&q=x');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(search()).toBe('');
  });
});
