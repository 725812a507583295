import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { StaffApprovalView, StaffChangeKind } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_LABEL_KEYS } from '../../../core/auth/role-labels';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';

/** What each waiting change is, in one line (the account's name and e-mail as parameters). */
const KIND_KEYS: Readonly<Record<StaffChangeKind, string>> = {
  create_account: 'admin.users.approvals.kinds.create_account',
  grant_roles: 'admin.users.approvals.kinds.grant_roles',
  reset_password: 'admin.users.approvals.kinds.reset_password',
  reset_mfa: 'admin.users.approvals.kinds.reset_mfa',
};

/** Why it waits for a second admin. */
const WHY_KEYS: Readonly<Record<StaffChangeKind, string>> = {
  create_account: 'admin.users.approvals.why.grant',
  grant_roles: 'admin.users.approvals.why.grant',
  reset_password: 'admin.users.approvals.why.reset',
  reset_mfa: 'admin.users.approvals.why.reset',
};

/**
 * Staff changes waiting for a second admin (separation of duties): what each one is, why it
 * waits, who asked and until when. Another admin approves (the page runs it behind step-up);
 * the admin who asked, and the person it concerns, cannot, and are told so.
 */
@Component({
  selector: 'app-staff-approvals-panel',
  imports: [DateTimePipe, MatButtonModule, MatIconModule, TranslocoPipe],
  template: `
    <h2 class="heading">{{ 'admin.users.approvals.title' | transloco }}</h2>
    <p class="intro">{{ 'admin.users.approvals.intro' | transloco }}</p>
    <ul class="approvals">
      @for (approval of approvals(); track approval.id) {
        <li class="approval" [attr.data-testid]="'approval-' + approval.email">
          <p class="what">
            {{
              kindKeys[approval.kind]
                | transloco: { name: approval.displayName, email: approval.email }
            }}
          </p>
          @if (approval.kind === 'create_account' || approval.kind === 'grant_roles') {
            <p class="roles" data-testid="approval-roles">
              @if (approval.rolesBefore.length > 0) {
                <span>{{ 'admin.users.approvals.rolesBefore' | transloco }}</span>
                @for (role of approval.rolesBefore; track role) {
                  <span class="chip">{{ roleLabels[role] | transloco }}</span>
                }
              }
              <span>{{ 'admin.users.approvals.rolesAfter' | transloco }}</span>
              @for (role of approval.rolesAfter; track role) {
                <span class="chip">{{ roleLabels[role] | transloco }}</span>
              }
            </p>
          }
          <p class="why">{{ whyKeys[approval.kind] | transloco }}</p>
          <p class="by">
            {{
              'admin.users.approvals.requestedBy'
                | transloco
                  : {
                      name: approval.requestedBy.displayName,
                      at: (approval.requestedAt | appDateTime: language()),
                      expires: (approval.expiresAt | appDateTime: language()),
                    }
            }}
          </p>
          @if (approval.requestedBy.id === currentUserId()) {
            <p class="own" data-testid="approval-yours">
              {{ 'admin.users.approvals.yours' | transloco }}
            </p>
          } @else if (approval.targetUserId === currentUserId()) {
            <p class="own" data-testid="approval-about-you">
              {{ 'admin.users.approvals.aboutYou' | transloco }}
            </p>
          }
          <div class="actions">
            <button
              mat-button
              type="button"
              data-testid="approval-cancel"
              [disabled]="busyId() === approval.id"
              (click)="cancelled.emit(approval)"
            >
              {{ 'admin.users.approvals.cancel' | transloco }}
            </button>
            <button
              mat-flat-button
              type="button"
              data-testid="approval-approve"
              [disabled]="
                busyId() === approval.id ||
                approval.requestedBy.id === currentUserId() ||
                approval.targetUserId === currentUserId()
              "
              (click)="approved.emit(approval)"
            >
              <mat-icon svgIcon="check_circle" aria-hidden="true" />
              {{ 'admin.users.approvals.approve' | transloco }}
            </button>
          </div>
        </li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
      margin-bottom: 24px;
      padding: 16px;
      border: 1px solid var(--mat-sys-tertiary);
      border-radius: 12px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .heading {
      margin: 0 0 8px;
      font: var(--mat-sys-title-large);
    }
    .approvals {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .approval {
      padding: 12px 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .approval p {
      margin: 4px 0;
    }
    .what {
      font: var(--mat-sys-title-medium);
    }
    .roles {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      min-height: 28px;
      padding: 0 10px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 8px;
      font: var(--mat-sys-label-large);
    }
    .by,
    .own {
      font: var(--mat-sys-body-small);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'staff-approvals' },
})
export class StaffApprovalsPanel {
  readonly approvals = input.required<readonly StaffApprovalView[]>();
  readonly currentUserId = input<string | null>(null);
  /** The request an action is running for (its buttons are disabled meanwhile). */
  readonly busyId = input<string | null>(null);
  /** The language code, for dates. */
  readonly language = input.required<string>();
  readonly approved = output<StaffApprovalView>();
  readonly cancelled = output<StaffApprovalView>();

  protected readonly kindKeys = KIND_KEYS;
  protected readonly whyKeys = WHY_KEYS;
  protected readonly roleLabels = ROLE_LABEL_KEYS;
}
