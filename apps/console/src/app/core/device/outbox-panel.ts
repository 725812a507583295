import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { formPathOf, type OutboxItem } from './outbox';
import { OutboxService } from './outbox.service';

/**
 * What waits on this device (shown in the shell while there is any): how many entries wait to
 * be sent and how many need the worker, "Send now", and for each refused entry the reason, a way
 * back into its form, and an explicit discard.
 */
@Component({
  selector: 'app-outbox-panel',
  imports: [MatButtonModule, RouterLink, TranslocoPipe],
  template: `
    @if (outbox.items().length > 0) {
      <section
        class="outbox"
        data-testid="outbox"
        [attr.aria-label]="'device.outbox.title' | transloco"
      >
        <div class="summary" role="status">
          @if (outbox.waiting().length > 0) {
            <span data-testid="outbox-waiting">{{
              'device.outbox.waiting' | transloco: { count: outbox.waiting().length }
            }}</span>
          }
          @if (outbox.attention().length > 0) {
            <span data-testid="outbox-attention">{{
              'device.outbox.attention' | transloco: { count: outbox.attention().length }
            }}</span>
          }
          @if (outbox.waiting().length > 0) {
            <button
              mat-stroked-button
              type="button"
              data-testid="outbox-send"
              [disabled]="outbox.sending()"
              (click)="send()"
            >
              {{ 'device.outbox.sendNow' | transloco }}
            </button>
          }
        </div>
        @if (outbox.attention().length > 0) {
          <ul class="problems">
            @for (item of outbox.attention(); track item.id) {
              <li data-testid="outbox-problem">
                <p>
                  <strong>{{ kindKey(item) | transloco: { count: peopleOf(item) } }}</strong>
                  —
                  <span data-testid="outbox-problem-reason">{{ reasonKey(item) | transloco }}</span>
                </p>
                <div class="actions">
                  <a
                    mat-flat-button
                    data-testid="outbox-open"
                    [routerLink]="pathOf(item)"
                    [queryParams]="{ outbox: item.id }"
                    >{{ 'device.outbox.open' | transloco }}</a
                  >
                  @if (confirming() === item.id) {
                    <button
                      mat-stroked-button
                      type="button"
                      data-testid="outbox-discard-confirm"
                      (click)="discard(item)"
                    >
                      {{ 'device.outbox.confirmDiscard' | transloco }}
                    </button>
                  } @else {
                    <button
                      mat-button
                      type="button"
                      data-testid="outbox-discard"
                      (click)="confirming.set(item.id)"
                    >
                      {{ 'device.outbox.discard' | transloco }}
                    </button>
                  }
                </div>
              </li>
            }
          </ul>
        }
      </section>
    }
  `,
  styles: `
    .outbox {
      margin: 0 0 16px;
      padding: 8px 16px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .summary,
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
    }
    .summary button,
    .actions a,
    .actions button {
      min-height: 44px;
    }
    .problems {
      margin: 8px 0 0;
      padding: 0;
      list-style: none;
    }
    .problems p {
      margin: 8px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OutboxPanel {
  protected readonly outbox = inject(OutboxService);
  protected readonly confirming = signal<string | null>(null);

  protected kindKey(item: OutboxItem): string {
    return item.entry.submission.kind === 'contact'
      ? 'device.outbox.contact'
      : 'device.outbox.intake';
  }

  protected peopleOf(item: OutboxItem): number {
    const { submission } = item.entry;
    return submission.kind === 'intake' ? submission.request.people.length : 1;
  }

  /** The API's reason; a contact whose person is gone (erased, merged) says so plainly. */
  protected reasonKey(item: OutboxItem): string {
    const problem = item.entry.problem;
    if (problem === null) return 'errors.unknown_error';
    if (problem.unconfirmed === true) return 'device.outbox.unconfirmed';
    return problem.fields.includes('personId')
      ? 'device.outbox.personGone'
      : `errors.${problem.code}`;
  }

  protected pathOf(item: OutboxItem): string {
    return formPathOf(item.entry.submission);
  }

  protected send(): void {
    void this.outbox.sendAll();
  }

  protected async discard(item: OutboxItem): Promise<void> {
    this.confirming.set(null);
    await this.outbox.discard(item.id);
  }
}
