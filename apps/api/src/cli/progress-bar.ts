/** A one-line progress bar on stderr (only when it is a terminal). */
export class ProgressBar {
  private last = 0;

  constructor(private readonly label: string) {}

  update(done: number, total: number | null): void {
    if (!process.stderr.isTTY || Date.now() - this.last < 100) return;
    this.last = Date.now();
    if (total === null) {
      process.stderr.write(`\r${this.label} ${done} (counting…)`);
      return;
    }
    const width = 30;
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(ratio * width);
    process.stderr.write(
      `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total}`,
    );
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  }
}
