import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { CancelTimer } from '../time/clock';
import { Clock } from '../time/clock';

/** How long "Copied" shows before the button reads "Copy" again. */
const CONFIRMATION_MS = 4000;

/**
 * Copies `text` to the clipboard and says so in a live region. Used for secrets shown once (a
 * one-time password, recovery codes), so it copies only on an explicit press.
 */
@Component({
  selector: 'app-copy-button',
  imports: [MatButtonModule, MatIconModule, TranslocoPipe],
  template: `
    <button mat-stroked-button type="button" [attr.data-testid]="testId()" (click)="copy()">
      <mat-icon svgIcon="content_copy" aria-hidden="true" />
      {{ label() | transloco }}
    </button>
    <span class="status" role="status">
      @switch (state()) {
        @case ('copied') {
          {{ 'common.copied' | transloco }}
        }
        @case ('failed') {
          {{ 'common.copyFailed' | transloco }}
        }
        @case ('idle') {}
      }
    </span>
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 8px;
    }
    button {
      min-height: 48px;
    }
    .status {
      font: var(--mat-sys-body-medium);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CopyButton {
  private readonly clipboard = inject(Clipboard);
  private readonly clock = inject(Clock);
  private reset: CancelTimer | null = null;

  readonly text = input.required<string>();
  /** Translation key of the button's label. */
  readonly label = input('common.copy');
  readonly testId = input<string | null>(null);

  protected readonly state = signal<'idle' | 'copied' | 'failed'>('idle');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.reset?.());
  }

  protected copy(): void {
    this.state.set(this.clipboard.copy(this.text()) ? 'copied' : 'failed');
    this.reset?.();
    this.reset = this.clock.setTimeout(() => this.state.set('idle'), CONFIRMATION_MS);
  }
}
