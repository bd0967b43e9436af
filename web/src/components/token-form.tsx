import { useId, useState, type FormEvent } from 'react';
import { setToken } from '../api/client.js';

/** Ask for an API token (`ys_…`) and keep it in this browser; pages reload with it. */
export function TokenForm({ onSaved }: { onSaved?: () => void }) {
  const id = useId();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    setToken(value.trim());
    setValue('');
    onSaved?.();
  };
  return (
    <form className="token-form" onSubmit={submit}>
      <label htmlFor={id}>API token</label>
      <input id={id} type="password" autoComplete="off" placeholder="ys_…" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Use token</button>
      <p className="hint">Kept in this browser only and sent as an Authorization: Bearer header.</p>
    </form>
  );
}
