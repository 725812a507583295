import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { QuickExit } from './quick-exit.service';

/**
 * The "Quick exit" control: in the sticky header's corner on every page, so it is always on
 * screen and never covers a control of the page (a button fixed over the content hid whatever
 * scrolled beneath it). It acts on `pointerdown`, before a click would even register.
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
      min-width: 48px;
      min-height: 44px;
      margin-inline-start: 4px;
      padding: 0 14px;
      border: 2px solid var(--mat-sys-on-error-container);
      border-radius: 22px;
      white-space: nowrap;
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
