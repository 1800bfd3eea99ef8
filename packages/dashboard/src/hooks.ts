import { useEffect, useRef, useState } from 'preact/hooks';
import { parseEvent, stream, type StreamStatus } from './api.js';
import type { SseEvent } from './sse.js';

/**
 * Follow a stream; `onEvent` mutates the page's model and the page re-renders at most once per
 * animation frame however many events arrive.
 */
export function useStream(path: string | undefined, onEvent: (e: SseEvent) => void): { status: StreamStatus | 'idle'; error?: string; tick: number } {
  const [status, setStatus] = useState<{ status: StreamStatus | 'idle'; error?: string }>({ status: 'idle' });
  const [tick, setTick] = useState(0);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!path) return;
    let frame = 0;
    const stop = stream(
      path,
      (e) => {
        handler.current(e);
        if (!frame) frame = requestAnimationFrame(() => {
          frame = 0;
          setTick((t) => t + 1);
        });
      },
      (s, message) => setStatus({ status: s, ...(message ? { error: message } : {}) }),
    );
    return () => {
      stop();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [path]);
  return { ...status, tick };
}

export { parseEvent };

/** Re-render every `ms` (durations of running runs, "ago" times). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
