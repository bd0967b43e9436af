/** Level presentation: bronze/silver/gold get their metal colours; any other level id a neutral step. */

const METALS: Record<string, string> = { bronze: '#a86a3d', silver: '#8c96a0', gold: '#c79a16', platinum: '#5d7f8f' };
const STEPS = ['#7b8794', '#52606d', '#3e4c59', '#1f2933'];
export const NO_LEVEL_COLOUR = '#cbd2d9';

export function levelColour(levelId: string | null | undefined, index = 0): string {
  if (!levelId) return NO_LEVEL_COLOUR;
  return METALS[levelId.toLowerCase()] ?? STEPS[index % STEPS.length];
}

export interface NamedLevel {
  id: string;
  name: string;
}

/** The display name of a level id in an ordered level list; "No level" for null. */
export function levelName(levels: readonly NamedLevel[] | undefined, id: string | null | undefined): string {
  if (!id) return 'No level';
  return levels?.find((l) => l.id === id)?.name ?? id.charAt(0).toUpperCase() + id.slice(1);
}

export function levelIndex(levels: readonly NamedLevel[] | undefined, id: string | null | undefined): number {
  if (!id || !levels) return -1;
  return levels.findIndex((l) => l.id === id);
}
