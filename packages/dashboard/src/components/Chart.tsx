import { useEffect, useRef } from 'preact/hooks';
import { echarts } from '../echarts.js';
import type { ChartData } from '../charts.js';

/** An ECharts chart; `data-series`/`data-points` say what it draws (the e2e tests read them). */
export function Chart({ data, height = 280, testId }: { data: ChartData; height?: number; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | undefined>(undefined);
  useEffect(() => {
    const el = ref.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(data.option, { notMerge: true, lazyUpdate: true });
  }, [data]);
  return (
    <figure class="chart-box">
      <div ref={ref} class="chart" style={{ height: `${height}px` }} data-testid={testId} data-series={data.series} data-points={data.points} />
      {data.note && <figcaption class="muted">{data.note}</figcaption>}
    </figure>
  );
}
