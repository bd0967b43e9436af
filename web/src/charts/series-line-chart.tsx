import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame.js';
import { downsample } from './downsample.js';

export interface Series {
  key: string;
  name: string;
  colour: string;
}

/**
 * Lines over days. `kind: 'share'` plots 0..1 as percent; `'count'` plots whole numbers;
 * `'step'` draws step lines with `yTicks` naming each step (levels).
 */
export function SeriesLineChart({
  caption,
  points,
  series,
  kind = 'share',
  yTicks,
  height,
  xKey = 'day',
}: {
  caption: string;
  points: Record<string, unknown>[];
  series: Series[];
  kind?: 'share' | 'count' | 'step';
  yTicks?: string[];
  height?: number;
  xKey?: string;
}) {
  const data = downsample(points);
  const last = data[data.length - 1];
  const fmt = (v: unknown) => (typeof v !== 'number' ? '—' : kind === 'share' ? `${Math.round(v * 100)}%` : kind === 'step' ? (yTicks?.[v] ?? String(v)) : String(v));
  const summary = last
    ? `${data.length} points from ${String(data[0][xKey])} to ${String(last[xKey])}; latest: ${series.map((s) => `${s.name} ${fmt(last[s.key])}`).join(', ')}`
    : 'no data';
  return (
    <ChartFrame caption={caption} summary={summary} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e7eb" />
          <XAxis dataKey={xKey} tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis
            tick={{ fontSize: 12 }}
            width={kind === 'step' ? 72 : 44}
            domain={kind === 'share' ? [0, 1] : kind === 'step' ? [0, Math.max(1, (yTicks?.length ?? 1) - 1)] : [0, 'auto']}
            ticks={kind === 'step' && yTicks ? yTicks.map((_, i) => i) : undefined}
            allowDecimals={kind === 'share'}
            tickFormatter={(v: number) => fmt(v)}
          />
          <Tooltip formatter={(v) => fmt(v)} />
          <Legend itemSorter={null} />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.colour}
              strokeWidth={2}
              dot={data.length < 3}
              type={kind === 'step' ? 'stepAfter' : 'monotone'}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
