import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import { BackupsCard } from '../components/backups-card';
import { ServiceStatusCard } from '../components/service-status-card';
import { BackupsStore } from '../data/backups.store';
import { HomeStore } from '../data/home.store';

@Component({
  selector: 'app-home-page',
  imports: [BackupsCard, ServiceStatusCard, TranslocoPipe],
  templateUrl: './home-page.html',
  styleUrl: './home-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage implements OnInit {
  private readonly session = inject(SessionStore);
  protected readonly store = inject(HomeStore);
  protected readonly backups = inject(BackupsStore);
  /** Backups are the keyring admins' concern (the same permission as the keys page). */
  protected readonly showBackups = computed(() => this.session.permissions().has('keys:manage'));

  ngOnInit(): void {
    this.store.refresh();
    if (this.showBackups()) this.backups.load();
  }
}
