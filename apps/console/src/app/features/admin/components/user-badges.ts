import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { StaffUserView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_LABEL_KEYS } from '../../../core/auth/role-labels';

/** An account's roles, or its status (active/disabled, set-up still pending), as chips. */
@Component({
  selector: 'app-user-badges',
  imports: [TranslocoPipe],
  template: `
    @let account = user();
    @if (show() === 'roles') {
      @for (role of account.roles; track role) {
        <span class="chip">{{ roleLabels[role] | transloco }}</span>
      }
    } @else {
      @if (account.status === 'active') {
        <span class="chip chip-ok" data-testid="user-status">
          {{ 'admin.users.status.active' | transloco }}
        </span>
      } @else {
        <span class="chip chip-off" data-testid="user-status">
          {{ 'admin.users.status.disabled' | transloco }}
        </span>
      }
      @if (!account.mfaEnrolled) {
        <span class="chip">{{ 'admin.users.status.mfaPending' | transloco }}</span>
      }
      @if (account.mustChangePassword) {
        <span class="chip">{{ 'admin.users.status.passwordPending' | transloco }}</span>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      min-height: 28px;
      padding: 0 10px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      font: var(--mat-sys-label-large);
    }
    .chip-ok {
      border-color: transparent;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .chip-off {
      border-color: transparent;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserBadges {
  readonly user = input.required<StaffUserView>();
  readonly show = input.required<'roles' | 'status'>();

  protected readonly roleLabels = ROLE_LABEL_KEYS;
}
