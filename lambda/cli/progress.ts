/**
 * "reading charts 120/1000" on a terminal's stderr, redrawn at most ten times a second and erased at the end.
 * When stderr is not a terminal (CI logs, pipes) it prints nothing, so captured output stays clean.
 */
export interface Progress {
  update(done: number, total: number): void;
  /** Erases the progress line (call before printing anything else, and at the end). */
  clear(): void;
}

const REDRAW_INTERVAL_MS = 100;
/** Short runs finish before a progress line would help; don't flash one. */
const SHOW_AFTER_MS = 300;

export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  const started = Date.now();
  let lastDraw = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < SHOW_AFTER_MS || (now - lastDraw < REDRAW_INTERVAL_MS && done < total)) return;
      lastDraw = now;
      shown = true;
      stream.write(`\r\x1b[2K${label} ${done}/${total}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
