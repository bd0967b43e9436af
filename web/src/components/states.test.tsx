// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getToken, setToken } from '../api/client.js';
import { ErrorState } from './states.js';

afterEach(() => {
  cleanup();
  setToken(null);
});

describe('ErrorState', () => {
  it('says which call failed: method, path, status, code and message', () => {
    const retry = vi.fn();
    render(<ErrorState error={new ApiError('GET', '/teams/ghosts', 404, 'YS_ERR_API_NOT_FOUND', 'No team named ghosts')} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toContain('GET /teams/ghosts → HTTP 404 (YS_ERR_API_NOT_FOUND): No team named ghosts');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('asks for a token on 401 and stores it', () => {
    render(<ErrorState error={new ApiError('GET', '/overview', 401, 'YS_ERR_AUTH_REQUIRED', 'A token is required')} />);
    expect(screen.getByText('This view needs an API token.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'ys_secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use token' }));
    expect(getToken()).toBe('ys_secret');
  });
});
