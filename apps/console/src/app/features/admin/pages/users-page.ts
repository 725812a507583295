import { BreakpointObserver } from '@angular/cdk/layout';
import { NgTemplateOutlet } from '@angular/common';
import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  inject,
  Injector,
  signal,
  DestroyRef,
} from '@angular/core';
import { toSignal, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import type { CreateUserResponse, StaffApprovalView, StaffUserView } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import { filter, map, switchMap } from 'rxjs';
import { SessionStore } from '../../../core/auth/session.store';
import { appErrorOf } from '../../../core/http/app-error';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import type { ConfirmDialogData } from '../components/confirm-dialog';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CreateUserDialog } from '../components/create-user-dialog';
import type { EditUserResult } from '../components/edit-user-dialog';
import { EditUserDialog } from '../components/edit-user-dialog';
import type { OneTimePasswordData } from '../components/one-time-password-dialog';
import { OneTimePasswordDialog } from '../components/one-time-password-dialog';
import { StaffApprovalsPanel } from '../components/staff-approvals-panel';
import { UserBadges } from '../components/user-badges';
import { UsersStore } from '../data/users.store';

/** At this width and above the accounts are a table; below, a list of cards. */
export const USERS_TABLE_QUERY = '(min-width: 840px)';

/** A short confirmation (or explanation) at the top of the page after an action. */
interface Notice {
  readonly key: string;
  readonly name: string;
  readonly kind: 'success' | 'warning';
}

@Component({
  selector: 'app-users-page',
  imports: [
    DateTimePipe,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTableModule,
    NgTemplateOutlet,
    StaffApprovalsPanel,
    TranslocoPipe,
    UserBadges,
  ],
  templateUrl: './users-page.html',
  styleUrl: './users-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(UsersStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly breakpoints = inject(BreakpointObserver);

  protected readonly language = inject(LanguageService).active;
  protected readonly currentUserId = inject(SessionStore).user;
  protected readonly columns = ['name', 'roles', 'status', 'lastSignIn', 'actions'] as const;
  protected readonly wide = toSignal(
    this.breakpoints.observe(USERS_TABLE_QUERY).pipe(map((state) => state.matches)),
    { initialValue: this.breakpoints.isMatched(USERS_TABLE_QUERY) },
  );
  protected readonly notice = signal<Notice | null>(null);
  /** The account an action is running for (its menu is disabled meanwhile). */
  protected readonly pending = signal<string | null>(null);
  /** The waiting change an approval or withdrawal is running for. */
  protected readonly approving = signal<string | null>(null);

  ngOnInit(): void {
    this.store.load();
  }

  protected create(): void {
    this.notice.set(null);
    this.dialog
      .open<CreateUserDialog, undefined, CreateUserResponse>(CreateUserDialog, {
        injector: this.injector,
      })
      .afterClosed()
      .pipe(
        filter((created): created is CreateUserResponse => created !== undefined),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((created) => {
        if (created.pending !== null) {
          // A case role or admin: nothing exists until a second admin approves.
          this.requested(created.pending);
          return;
        }
        if (created.user === null || created.oneTimePassword === null) return;
        this.notice.set({
          key: 'admin.users.notice.created',
          name: created.user.displayName,
          kind: 'success',
        });
        this.showOneTimePassword({
          user: created.user,
          oneTimePassword: created.oneTimePassword,
          reason: 'created',
        });
      });
  }

  /** The second admin approves a waiting change (step-up); a password comes back once. */
  protected approve(approval: StaffApprovalView): void {
    this.notice.set(null);
    this.approving.set(approval.id);
    this.store
      .approve(approval)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ user, oneTimePassword }) => {
          this.notice.set({
            key: 'admin.users.notice.approved',
            name: user.displayName,
            kind: 'success',
          });
          if (oneTimePassword !== null) {
            this.showOneTimePassword({
              user,
              oneTimePassword,
              reason: approval.kind === 'create_account' ? 'created' : 'reset',
            });
          }
        },
        error: () => this.approving.set(null),
        complete: () => this.approving.set(null),
      });
  }

  protected cancelApproval(approval: StaffApprovalView): void {
    this.notice.set(null);
    this.approving.set(approval.id);
    this.store
      .cancel(approval)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () =>
          this.notice.set({
            key: 'admin.users.notice.cancelled',
            name: approval.displayName,
            kind: 'success',
          }),
        error: () => this.approving.set(null),
        complete: () => this.approving.set(null),
      });
  }

  /** A change recorded for a second admin: say so (the panel above the list shows it). */
  private requested(approval: StaffApprovalView): void {
    this.notice.set({
      key: 'admin.users.notice.requested',
      name: approval.displayName,
      kind: 'warning',
    });
  }

  protected resetPassword(user: StaffUserView): void {
    this.notice.set(null);
    this.confirm({
      title: 'admin.users.confirm.resetPasswordTitle',
      body: 'admin.users.confirm.resetPasswordBody',
      confirm: 'admin.users.actions.resetPassword',
      danger: true,
      params: { name: user.displayName },
    })
      .pipe(
        switchMap(() => {
          this.pending.set(user.id);
          return this.store.resetPassword(user);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ oneTimePassword, pending }) => {
          if (pending !== null) {
            this.requested(pending);
            return;
          }
          if (oneTimePassword === null) return;
          this.say('admin.users.notice.passwordReset', user);
          this.showOneTimePassword({ user, oneTimePassword, reason: 'reset' });
        },
        error: () => this.pending.set(null),
        complete: () => this.pending.set(null),
      });
  }

  private showOneTimePassword(data: OneTimePasswordData): void {
    this.dialog.open(OneTimePasswordDialog, { data, disableClose: true });
  }

  /** Emits once if the person says yes; completes without a value otherwise. */
  private confirm(question: ConfirmDialogData): Observable<true> {
    return this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data: question })
      .afterClosed()
      .pipe(filter((confirmed): confirmed is true => confirmed === true));
  }

  protected edit(user: StaffUserView): void {
    this.notice.set(null);
    this.dialog
      .open<EditUserDialog, StaffUserView, EditUserResult>(EditUserDialog, {
        data: user,
        injector: this.injector,
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((result) => {
        if (result === 'saved') this.say('admin.users.notice.updated', user);
        if (result === 'requested') this.say('admin.users.notice.requested', user, 'warning');
        if (result === 'conflict') this.say('admin.users.notice.conflict', user, 'warning');
      });
  }

  protected toggleStatus(user: StaffUserView): void {
    const disabling = user.status === 'active';
    this.confirmThen(
      user,
      disabling
        ? {
            title: 'admin.users.confirm.disableTitle',
            body: 'admin.users.confirm.disableBody',
            confirm: 'admin.users.actions.disable',
            danger: true,
          }
        : {
            title: 'admin.users.confirm.enableTitle',
            body: 'admin.users.confirm.enableBody',
            confirm: 'admin.users.actions.enable',
          },
      () =>
        this.store
          .update(user, { status: disabling ? 'disabled' : 'active' })
          .pipe(map(() => undefined)),
      disabling ? 'admin.users.notice.disabled' : 'admin.users.notice.enabled',
    );
  }

  protected revokeSessions(user: StaffUserView): void {
    this.confirmThen(
      user,
      {
        title: 'admin.users.confirm.revokeTitle',
        body: 'admin.users.confirm.revokeBody',
        confirm: 'admin.users.actions.revokeSessions',
        danger: true,
      },
      () => this.store.revokeSessions(user),
      'admin.users.notice.revoked',
    );
  }

  protected resetMfa(user: StaffUserView): void {
    this.notice.set(null);
    this.confirm({
      title: 'admin.users.confirm.resetMfaTitle',
      body: 'admin.users.confirm.resetMfaBody',
      confirm: 'admin.users.actions.resetMfa',
      danger: true,
      params: { name: user.displayName },
    })
      .pipe(
        switchMap(() => {
          this.pending.set(user.id);
          return this.store.resetMfa(user);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ pending }) => {
          if (pending !== null) this.requested(pending);
          else this.say('admin.users.notice.mfaReset', user);
        },
        error: () => this.pending.set(null),
        complete: () => this.pending.set(null),
      });
  }

  /** Asks first; runs `action` only on "yes"; says what happened. */
  private confirmThen(
    user: StaffUserView,
    question: Omit<ConfirmDialogData, 'params'>,
    action: () => Observable<void>,
    doneKey: string,
  ): void {
    this.notice.set(null);
    this.confirm({ ...question, params: { name: user.displayName } })
      .pipe(
        switchMap(() => {
          this.pending.set(user.id);
          return action();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.say(doneKey, user),
        error: (error: unknown) => {
          this.pending.set(null);
          // Other failures were already shown by the error interceptor.
          if (appErrorOf(error).code === 'version_conflict') {
            this.say('admin.users.notice.conflict', user, 'warning');
          }
        },
        complete: () => this.pending.set(null),
      });
  }

  private say(key: string, user: StaffUserView, kind: Notice['kind'] = 'success'): void {
    this.notice.set({ key, name: user.displayName, kind });
  }
}
