import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter, MAX_LINE_BYTES, parseMetricsLines, type ParsedLines } from './metrics-lines.js';

const CHUNK = 256 * 1024;

/**
 * Follows a run's metrics file as the program appends to it (polling, which works on every file
 * system, including network ones where change events do not arrive) and hands over parsed lines.
 */
export class MetricsTail {
  private handle: FileHandle | undefined;
  private position = 0;
  private readonly splitter: LineSplitter;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly onLines: (parsed: ParsedLines) => void,
    private readonly intervalMs = 200,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.splitter = new LineSplitter((line) =>
      this.onLines({ rows: [], skipped: [{ line, why: `longer than ${MAX_LINE_BYTES} bytes`, text: '' }] }),
    );
  }

  start(): void {
    this.tick();
  }

  /** Read what is left, including a last line with no newline, and stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
    await this.read();
    const first = this.splitter.count + 1;
    const last = this.splitter.end();
    if (last.length > 0) this.onLines(parseMetricsLines(last, first));
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
  }

  private tick(): void {
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs);
    });
  }

  private async read(): Promise<void> {
    try {
      this.handle ??= await open(this.file, 'r');
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await this.handle.read(buffer, 0, CHUNK, this.position);
        if (bytesRead === 0) break;
        this.position += bytesRead;
        const first = this.splitter.count + 1;
        const lines = this.splitter.push(buffer.subarray(0, bytesRead));
        if (lines.length > 0) this.onLines(parseMetricsLines(lines, first));
      }
    } catch (error) {
      // The file may not exist yet, or the program removed it: try again next time.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(error as Error);
    }
  }
}
