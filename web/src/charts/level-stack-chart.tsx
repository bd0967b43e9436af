import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { levelColour, type NamedLevel } from '../components/levels.js';
import { ChartFrame } from './chart-frame.js';
import { downsample } from './downsample.js';

export const NONE_KEY = '__none';

export interface StackRow {
  label: string;
  /** Count per level id; `NONE_KEY` for "no level reached". */
  counts: Record<string, number>;
}

/** Stacked bars: how many components sit at each level (one bar per row: a track, a day…). */
export function LevelStackChart({ caption, rows, levels, height }: { caption: string; rows: StackRow[]; levels: NamedLevel[]; height?: number }) {
  const data = downsample(rows).map((r) => ({ label: r.label, ...r.counts }));
  const series = [{ id: NONE_KEY, name: 'No level' }, ...levels];
  const summary = rows.map((r) => `${r.label}: ${series.map((s) => `${r.counts[s.id] ?? 0} ${s.name}`).join(', ')}`).join('; ');
  return (
    <ChartFrame caption={caption} summary={summary} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e4e7eb" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
          <Tooltip />
          <Legend itemSorter={null} />
          {series.map((s, i) => (
            <Bar key={s.id} dataKey={s.id} name={s.name} stackId="levels" fill={s.id === NONE_KEY ? levelColour(null) : levelColour(s.id, i - 1)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
