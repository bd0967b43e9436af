import type { ReactNode } from 'react';

/** A chart in a figure: a caption, a text summary for screen readers and a fixed height. */
export function ChartFrame({ caption, summary, height = 260, children }: { caption: string; summary: string; height?: number; children: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption className="chart__caption">{caption}</figcaption>
      <div className="chart__surface" role="img" aria-label={`${caption}. ${summary}`} style={{ height }}>
        {children}
      </div>
    </figure>
  );
}
