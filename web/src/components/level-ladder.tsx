import { Link } from 'react-router-dom';
import { levelIndex, type NamedLevel } from './levels.js';
import { LevelBadge } from './level-badge.js';

export type RungStatus = 'reached' | 'next' | 'locked';

/** Status of every level: all up to the reached one are reached, the one after is next, the rest locked. */
export function ladderRungs(levels: readonly NamedLevel[], reached: string | null): { level: NamedLevel; status: RungStatus }[] {
  const top = levelIndex(levels, reached);
  return levels.map((level, i) => ({ level, status: i <= top ? 'reached' : i === top + 1 ? 'next' : 'locked' }));
}

const STATUS_TEXT: Record<RungStatus, string> = { reached: 'Reached', next: 'Next', locked: 'Not yet' };
const STATUS_ICON: Record<RungStatus, string> = { reached: '✓', next: '→', locked: '·' };

/**
 * One track's levels, lowest first: which are reached, which is next, and the checks missing for it.
 * `missing` are check ids; `checkName` turns them into names.
 */
export function LevelLadder({
  trackName,
  levels,
  reached,
  missing,
  checkName = (id) => id,
}: {
  trackName: string;
  levels: readonly NamedLevel[];
  reached: string | null;
  missing: readonly string[];
  checkName?: (id: string) => string;
}) {
  const rungs = ladderRungs(levels, reached);
  return (
    <ol className="ladder" aria-label={`${trackName} levels`}>
      {rungs.map(({ level, status }) => (
        <li key={level.id} className={`ladder__rung ladder__rung--${status}`}>
          <span className="ladder__status">
            <span aria-hidden="true">{STATUS_ICON[status]} </span>
            {STATUS_TEXT[status]}
          </span>
          <LevelBadge level={level.id} levels={levels} />
          {status === 'next' &&
            (missing.length === 0 ? (
              <span className="ladder__missing">nothing missing</span>
            ) : (
              <span className="ladder__missing">
                missing {missing.length} {missing.length === 1 ? 'check' : 'checks'}:{' '}
                {missing.map((id, i) => (
                  <span key={id}>
                    {i > 0 && ', '}
                    <Link to={`/checks/${encodeURIComponent(id)}`}>{checkName(id)}</Link>
                  </span>
                ))}
              </span>
            ))}
        </li>
      ))}
    </ol>
  );
}
