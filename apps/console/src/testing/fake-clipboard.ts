/** Stands in for the CDK `Clipboard`: records what would have been copied. */
export class FakeClipboard {
  readonly copied: string[] = [];

  copy(text: string): boolean {
    this.copied.push(text);
    return true;
  }
}
