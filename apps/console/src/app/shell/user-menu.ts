import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_LABEL_KEYS } from '../core/auth/role-labels';
import { SessionEnd } from '../core/auth/session-end.service';
import { SessionStore } from '../core/auth/session.store';

/** The signed-in person: who, which roles, which organisation; change password; sign out. */
@Component({
  selector: 'app-user-menu',
  imports: [
    MatButtonModule,
    MatDividerModule,
    MatIconModule,
    MatMenuModule,
    RouterLink,
    TranslocoPipe,
  ],
  templateUrl: './user-menu.html',
  styleUrl: './user-menu.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserMenu {
  private readonly store = inject(SessionStore);
  private readonly sessionEnd = inject(SessionEnd);

  protected readonly session = this.store.session;
  protected readonly roleKeys = computed(() =>
    this.store.roles().map((role) => ROLE_LABEL_KEYS[role]),
  );
  protected readonly signingOut = signal(false);

  protected signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    void this.sessionEnd.signOut().finally(() => this.signingOut.set(false));
  }
}
