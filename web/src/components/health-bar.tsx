/** Team health (0–100, null when nothing is scored) as a number with a bar beside it. */
export function HealthBar({ health }: { health: number | null }) {
  if (health === null) return <span className="muted">not scored</span>;
  const v = Math.round(Math.max(0, Math.min(100, health)));
  return (
    <span className="health">
      <span className="health__bar" aria-hidden="true">
        <span style={{ width: `${v}%` }} />
      </span>
      {v}%
    </span>
  );
}
