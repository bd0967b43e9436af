import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/client.js';
import type { ExemptionItem } from '../api/types.js';
import { ErrorState } from './states.js';

const DAY = 86_400_000;
/** The server's limits (`POST /exemptions`): reason 3–2000 characters, expiry in the future and ≤ 365 days away. */
export const REASON_MIN = 3;
export const REASON_MAX = 2000;
export const MAX_DAYS = 365;

export interface ExemptionDraft {
  reason: string;
  /** `YYYY-MM-DD` from the date input (a UTC calendar day). */
  expires: string;
}

export type ExemptionProblems = Partial<Record<keyof ExemptionDraft, string>>;

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The first and last expiry dates the form accepts: tomorrow and a year from today (UTC days). */
export function expiryBounds(now = Date.now()): { min: string; max: string } {
  return { min: utcDay(now + DAY), max: utcDay(now + MAX_DAYS * DAY) };
}

/**
 * The expiry sent to the server: the start (00:00 UTC) of the chosen day. Tomorrow's start is
 * always in the future and the start of the day a year from today never more than 365 days away,
 * so every date the form accepts, the server accepts too.
 */
export function expiryInstant(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** What is wrong with a draft, per field; empty when it may be sent. */
export function validateExemption(draft: ExemptionDraft, now = Date.now()): ExemptionProblems {
  const problems: ExemptionProblems = {};
  const reason = draft.reason.trim();
  if (!reason) problems.reason = 'Give a reason: why this check does not apply yet.';
  else if (reason.length < REASON_MIN) problems.reason = `The reason needs at least ${REASON_MIN} characters.`;
  else if (reason.length > REASON_MAX) problems.reason = `The reason may have at most ${REASON_MAX} characters (it has ${reason.length}).`;
  const { min, max } = expiryBounds(now);
  if (!draft.expires) problems.expires = 'Choose the date the exemption ends.';
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.expires) || Number.isNaN(Date.parse(expiryInstant(draft.expires)))) problems.expires = 'Enter the date as YYYY-MM-DD.';
  else if (draft.expires < min) problems.expires = `The expiry must be in the future: ${min} or later.`;
  else if (draft.expires > max) problems.expires = `An exemption may run at most a year: ${max} or earlier.`;
  return problems;
}

/**
 * Grant an exemption of `entityRef` from `checkId` (admin): a reason and an expiry date, checked
 * here as the server would, problems announced and linked to their fields; `onGranted` after a 201.
 */
export function GrantExemptionForm({
  entityRef,
  checkId,
  checkName,
  onGranted,
  onCancel,
  now = Date.now,
}: {
  entityRef: string;
  checkId: string;
  checkName: string;
  onGranted: (created: ExemptionItem) => void;
  onCancel?: () => void;
  now?: () => number;
}) {
  const id = useId();
  const [draft, setDraft] = useState<ExemptionDraft>({ reason: '', expires: '' });
  const [problems, setProblems] = useState<ExemptionProblems>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const expiresRef = useRef<HTMLInputElement>(null);
  const { min, max } = expiryBounds(now());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateExemption(draft, now());
    setProblems(found);
    setFailure(null);
    if (found.reason) return reasonRef.current?.focus();
    if (found.expires) return expiresRef.current?.focus();
    setBusy(true);
    try {
      const created = await apiRequest<ExemptionItem>('/exemptions', {
        method: 'POST',
        body: { entityRef, checkId, reason: draft.reason.trim(), expiresAt: expiryInstant(draft.expires) },
      });
      onGranted(created);
    } catch (err) {
      setFailure(err instanceof ApiError ? err : new ApiError('POST', '/exemptions', null, null, String(err)));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof ExemptionDraft) => ({
    id: `${id}-${key}`,
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': `${id}-${key}-hint${problems[key] ? ` ${id}-${key}-error` : ''}`,
  });
  const problem = (key: keyof ExemptionDraft) =>
    problems[key] && (
      <p id={`${id}-${key}-error`} className="field__error" role="alert">
        <span aria-hidden="true">⚠ </span>
        {problems[key]}
      </p>
    );

  return (
    <form className="exemption-form" onSubmit={submit} noValidate aria-label={`Grant an exemption from ${checkName}`}>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <textarea
          ref={reasonRef}
          {...field('reason')}
          rows={2}
          maxLength={REASON_MAX}
          required
          value={draft.reason}
          onChange={(e) => setDraft({ ...draft, reason: e.target.value })}
        />
        <p id={`${id}-reason-hint`} className="hint">
          Why this component need not pass “{checkName}” for now. Shown on the scorecard and in the audit log.
        </p>
        {problem('reason')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-expires`}>Expires on</label>
        <input
          ref={expiresRef}
          {...field('expires')}
          type="date"
          required
          min={min}
          max={max}
          value={draft.expires}
          onChange={(e) => setDraft({ ...draft, expires: e.target.value })}
        />
        <p id={`${id}-expires-hint`} className="hint">
          Between {min} and {max}; the exemption ends at the start of that day (UTC).
        </p>
        {problem('expires')}
      </div>
      <div className="form-actions">
        <button type="submit" className="button--primary" disabled={busy}>
          {busy ? 'Granting…' : 'Grant exemption'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
      {failure && <ErrorState error={failure} title="The exemption was not granted." />}
    </form>
  );
}
