import { DOCUMENT, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  output,
} from '@angular/core';
import type { AccessEventView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_LABEL_KEYS } from '../../../core/auth/role-labels';
import { auditPurposeLabels } from '../../../core/i18n/domain-labels';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { actionLabelKey, resourceTypeLabelKey } from '../data/audit-labels';
import { EventTemplate } from './event-template';
import { OutcomeChip } from './outcome-chip';

/** Resource ids shown in a row before "+N more" (the detail dialog shows them all). */
export const RESOURCE_IDS_SHOWN = 3;

/**
 * The events, newest first: a table on wide screens, a list of cards on phones. A click on a
 * row opens its details (for the keyboard, the time in each row is a button); an actor's name
 * is a button that narrows the list to that staff member.
 */
@Component({
  selector: 'app-events-list',
  imports: [DateTimePipe, EventTemplate, NgTemplateOutlet, OutcomeChip, TranslocoPipe],
  templateUrl: './events-list.html',
  styleUrl: './events-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventsList {
  readonly events = input.required<readonly AccessEventView[]>();
  /** Table (wide screens) or cards (phones). */
  readonly wide = input.required<boolean>();
  readonly open = output<AccessEventView>();
  readonly filterActor = output<AccessEventView>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly document = inject(DOCUMENT);
  protected readonly language = inject(LanguageService).active;
  protected readonly actionLabel = actionLabelKey;
  protected readonly resourceTypeLabel = resourceTypeLabelKey;
  protected readonly roleLabels = ROLE_LABEL_KEYS;
  protected readonly purposeLabels = auditPurposeLabels;
  protected readonly idsShown = RESOURCE_IDS_SHOWN;

  /** Moves focus to an event's details button (after older events were added, say). */
  focusEvent(seq: number): void {
    this.host.nativeElement
      .querySelector<HTMLButtonElement>(`[data-testid="event-open-${seq}"]`)
      ?.focus();
  }

  /**
   * A click anywhere on a row opens it, except on the buttons inside it, or when it ends a text
   * selection (an auditor copying a request id).
   */
  protected rowClick(event: AccessEventView, click: MouseEvent): void {
    if (click.target instanceof Element && click.target.closest('button, a') !== null) return;
    if ((this.document.getSelection()?.toString() ?? '') !== '') return;
    this.open.emit(event);
  }
}
