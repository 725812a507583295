import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { PartnerView } from '@harbour/domain';
import { PartnersStore } from '../data/partners.store';
import { PartnerEditDialog, type PartnerEdit, type PartnerEditData } from './partner-edit-dialog';

/**
 * An admin's actions on one partner card: edit, and deactivate (no new referrals; those it
 * has keep it) or reactivate. Works with the directory page's `PartnersStore`.
 */
@Component({
  selector: 'app-partner-admin-actions',
  imports: [MatButtonModule, MatIconModule, TranslocoPipe],
  template: `
    @if (!partner().active) {
      <p class="muted" data-testid="partner-inactive">
        {{ 'corrections.partners.inactive' | transloco }}
      </p>
    }
    <div class="actions">
      <button
        mat-stroked-button
        type="button"
        data-testid="partner-edit"
        [disabled]="saving()"
        (click)="edit()"
      >
        <mat-icon svgIcon="edit" aria-hidden="true" />
        {{ 'corrections.partners.edit' | transloco }}
      </button>
      @if (partner().active) {
        <button
          mat-stroked-button
          type="button"
          data-testid="partner-deactivate"
          [disabled]="saving()"
          (click)="setActive(false)"
        >
          <mat-icon svgIcon="block" aria-hidden="true" />
          {{ 'corrections.partners.deactivate' | transloco }}
        </button>
      } @else {
        <button
          mat-stroked-button
          type="button"
          data-testid="partner-reactivate"
          [disabled]="saving()"
          (click)="setActive(true)"
        >
          <mat-icon svgIcon="check" aria-hidden="true" />
          {{ 'corrections.partners.reactivate' | transloco }}
        </button>
      }
    </div>
  `,
  styles: `
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerAdminActions {
  readonly partner = input.required<PartnerView>();
  /** The partner changed (or a newer version was met): the directory should be read again. */
  readonly changed = output();

  private readonly store = inject(PartnersStore);
  private readonly dialog = inject(MatDialog);
  protected readonly saving = this.store.saving;

  protected edit(): void {
    // The dialog sends the edit itself and stays open on a refusal, to show it in place.
    const partner = this.partner();
    const data: PartnerEditData = {
      partner,
      submit: (changes) =>
        this.store.updating(partner, changes, 'corrections.partners.saved', () =>
          this.changed.emit(),
        ),
    };
    this.dialog.open<PartnerEditDialog, PartnerEditData, PartnerEdit | null>(PartnerEditDialog, {
      data,
      width: '560px',
    });
  }

  protected setActive(active: boolean): void {
    this.store.update(
      this.partner(),
      { active },
      active ? 'corrections.partners.reactivated' : 'corrections.partners.deactivated',
      () => this.changed.emit(),
    );
  }
}
