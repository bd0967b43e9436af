// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from './client.js';
import { useApi } from './use-api.js';

afterEach(() => {
  cleanup();
  setToken(null);
  vi.unstubAllGlobals();
});

let reload: () => void = () => {};
function Probe({ path }: { path: string }) {
  const state = useApi<{ n: number }>(path);
  reload = state.reload;
  return <output>{state.status === 'ok' ? `n=${state.data.n}` : state.status}</output>;
}

describe('useApi', () => {
  it('keeps the page on screen while a reload of the same path is under way, then shows the new answer', async () => {
    let n = 0;
    const pending: ((r: Response) => void)[] = [];
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => pending.push(resolve))));
    const answer = async () => {
      await act(async () => pending.shift()!(new Response(JSON.stringify({ n: ++n }), { status: 200 })));
    };
    const { rerender } = render(<Probe path="/a" />);
    expect(screen.getByRole('status').textContent).toBe('loading');
    await answer();
    expect(screen.getByRole('status').textContent).toBe('n=1');

    act(() => reload());
    expect(screen.getByRole('status').textContent).toBe('n=1');
    await answer();
    expect(screen.getByRole('status').textContent).toBe('n=2');

    // Another path is another page: its loading state shows.
    rerender(<Probe path="/b" />);
    expect(screen.getByRole('status').textContent).toBe('loading');
    await answer();
    expect(screen.getByRole('status').textContent).toBe('n=3');

    // A new token is a new caller: the old answer is not kept while asking again.
    act(() => setToken('ys_other'));
    expect(screen.getByRole('status').textContent).toBe('loading');
    await answer();
    expect(screen.getByRole('status').textContent).toBe('n=4');
  });
});
