import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { QuickExit } from './quick-exit.service';

/**
 * The "Quick exit" control: always on screen, bottom right where a thumb reaches on a phone.
 * It acts on `pointerdown`, before a click would even register.
 */
@Component({
  selector: 'app-quick-exit',
  imports: [TranslocoPipe],
  template: `<button
    type="button"
    class="quick-exit"
    data-testid="quick-exit"
    [attr.title]="'session.quickExit.hint' | transloco"
    [attr.aria-description]="'session.quickExit.hint' | transloco"
    (pointerdown)="exit()"
    (click)="exit()"
  >
    {{ 'session.quickExit.label' | transloco }}
  </button>`,
  styles: `
    .quick-exit {
      position: fixed;
      right: max(12px, env(safe-area-inset-right));
      bottom: max(12px, env(safe-area-inset-bottom));
      z-index: 1100;
      min-width: 112px;
      min-height: 48px;
      padding: 0 20px;
      border: 2px solid var(--mat-sys-on-error-container);
      border-radius: 24px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font: var(--mat-sys-label-large);
      box-shadow: var(--mat-sys-level3);
      cursor: pointer;
    }
    .quick-exit:focus-visible {
      outline: 3px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QuickExitButton {
  private readonly quickExit = inject(QuickExit);

  protected exit(): void {
    this.quickExit.exit();
  }
}
