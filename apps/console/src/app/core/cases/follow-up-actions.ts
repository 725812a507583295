import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { addCalendarDays, type FollowUpView } from '@harbour/domain';
import { Clock } from '../time/clock';
import { localIsoDate } from './local-date';

/** Snoozing to "tomorrow" or "next week", counted from the browser's own today. */
export function snoozeDate(today: string, choice: 'tomorrow' | 'nextWeek'): string {
  return addCalendarDays(today, choice === 'tomorrow' ? 1 : 7);
}

/**
 * The buttons of one open follow-up: done, snooze (to tomorrow, next week or a chosen date) and,
 * where the list allows it, cancel. What they do is the parent's (it owns the requests).
 */
@Component({
  selector: 'app-follow-up-actions',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, TranslocoPipe],
  template: `
    <div class="actions">
      <button
        mat-stroked-button
        type="button"
        data-testid="follow-up-done"
        [disabled]="busy()"
        (click)="done.emit()"
      >
        <mat-icon svgIcon="check" aria-hidden="true" />
        {{ 'followUps.done' | transloco }}
      </button>
      <button
        mat-button
        type="button"
        data-testid="follow-up-snooze"
        [disabled]="busy()"
        [matMenuTriggerFor]="snoozeMenu"
      >
        {{ 'followUps.snooze' | transloco }}
      </button>
      <mat-menu #snoozeMenu="matMenu">
        <button
          mat-menu-item
          type="button"
          data-testid="snooze-tomorrow"
          (click)="snooze.emit(later('tomorrow'))"
        >
          {{ 'followUps.snoozeTomorrow' | transloco }}
        </button>
        <button
          mat-menu-item
          type="button"
          data-testid="snooze-next-week"
          (click)="snooze.emit(later('nextWeek'))"
        >
          {{ 'followUps.snoozeNextWeek' | transloco }}
        </button>
        <button mat-menu-item type="button" data-testid="snooze-pick" (click)="picking.set(true)">
          {{ 'followUps.snoozePick' | transloco }}
        </button>
      </mat-menu>
      @if (cancellable()) {
        <button
          mat-button
          type="button"
          data-testid="follow-up-cancel"
          [disabled]="busy()"
          (click)="cancelFollowUp.emit()"
        >
          {{ 'followUps.cancel' | transloco }}
        </button>
      }
    </div>
    @if (picking()) {
      <form class="pick" (submit)="pick($event, date.value)">
        <label>
          <span>{{ 'followUps.snoozeUntil' | transloco }}</span>
          <input
            #date
            type="date"
            required
            data-testid="snooze-date"
            [min]="today()"
            [value]="later('tomorrow')"
          />
        </label>
        <button mat-stroked-button type="submit" data-testid="snooze-confirm" [disabled]="busy()">
          {{ 'followUps.snooze' | transloco }}
        </button>
      </form>
    }
  `,
  styles: `
    .actions,
    .pick {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
    }
    .pick label {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .pick input {
      min-height: 44px;
      font: inherit;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FollowUpActions {
  private readonly clock = inject(Clock);

  readonly followUp = input.required<FollowUpView>();
  readonly busy = input(false);
  readonly cancellable = input(false);
  readonly done = output();
  /** The new due date. */
  readonly snooze = output<string>();
  readonly cancelFollowUp = output();

  protected readonly picking = signal(false);

  protected today(): string {
    return localIsoDate(this.clock.now());
  }

  protected later(choice: 'tomorrow' | 'nextWeek'): string {
    return snoozeDate(this.today(), choice);
  }

  protected pick(event: Event, value: string): void {
    event.preventDefault();
    if (value === '') return;
    this.picking.set(false);
    this.snooze.emit(value);
  }
}
