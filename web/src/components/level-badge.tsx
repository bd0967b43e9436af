import { levelColour, levelIndex, levelName, type NamedLevel } from './levels.js';

/** A level shown as a coloured dot plus its name: the text carries the meaning, the colour only helps. */
export function LevelBadge({ level, levels, small }: { level: string | null | undefined; levels?: readonly NamedLevel[]; small?: boolean }) {
  const name = levelName(levels, level);
  const idx = levelIndex(levels, level);
  return (
    <span className={`level-badge${small ? ' level-badge--small' : ''}${level ? '' : ' level-badge--none'}`} data-level={level ?? 'none'}>
      <span className="level-badge__dot" style={{ background: levelColour(level, Math.max(idx, 0)) }} aria-hidden="true" />
      {name}
    </span>
  );
}
