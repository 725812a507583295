import type { MatSnackBarConfig } from '@angular/material/snack-bar';

export interface OpenedSnackBar {
  readonly message: string;
  readonly action: string | undefined;
  readonly config: MatSnackBarConfig | undefined;
}

/** Stands in for `MatSnackBar`: records what would have been shown. */
export class FakeSnackBar {
  readonly opened: OpenedSnackBar[] = [];

  open(message: string, action?: string, config?: MatSnackBarConfig): void {
    this.opened.push({ message, action, config });
  }
}
