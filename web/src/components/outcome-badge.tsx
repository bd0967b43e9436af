import type { Outcome } from '../api/types.js';

const OUTCOMES: Record<Outcome, { icon: string; label: string }> = {
  pass: { icon: '✓', label: 'Pass' },
  fail: { icon: '✗', label: 'Fail' },
  unknown: { icon: '?', label: 'Unknown' },
  error: { icon: '!', label: 'Error' },
  'not-applicable': { icon: '–', label: 'Not applicable' },
  exempt: { icon: '⛨', label: 'Exempt' },
};

export function outcomeLabel(outcome: Outcome): string {
  return OUTCOMES[outcome]?.label ?? outcome;
}

/** An outcome as icon + word (never colour alone). */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const o = OUTCOMES[outcome] ?? { icon: '•', label: outcome };
  return (
    <span className={`outcome outcome--${outcome}`}>
      <span className="outcome__icon" aria-hidden="true">
        {o.icon}
      </span>
      {o.label}
    </span>
  );
}
