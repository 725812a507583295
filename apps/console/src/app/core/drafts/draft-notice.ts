import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { FormDraft } from './form-drafts';

/** "Restored your unsaved intake from 14:05 — Discard", above a form whose draft came back. */
@Component({
  selector: 'app-draft-notice',
  imports: [MatButtonModule, TranslocoPipe],
  template: `@if (draft().restoredAt() !== null) {
    <div class="draft-notice" role="status" data-testid="draft-restored">
      <span>{{ messageKey() | transloco: { time: time() } }}</span>
      <button
        mat-stroked-button
        type="button"
        data-testid="draft-discard"
        (click)="draft().discard()"
      >
        {{ 'session.draft.discard' | transloco }}
      </button>
    </div>
  }`,
  styles: `
    .draft-notice {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      margin-block: 0 16px;
      padding: 8px 16px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .draft-notice button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DraftNotice {
  private readonly transloco = inject(TranslocoService);
  private readonly language = toSignal(this.transloco.langChanges$, {
    initialValue: this.transloco.getActiveLang(),
  });

  readonly draft = input.required<FormDraft>();
  /** `session.draft.restoredIntake` or `session.draft.restoredContact` (takes `{{time}}`). */
  readonly messageKey = input.required<string>();

  protected readonly time = computed(() => {
    const at = this.draft().restoredAt();
    if (at === null) return '';
    return new Intl.DateTimeFormat(this.language(), { timeStyle: 'short' }).format(at);
  });
}
