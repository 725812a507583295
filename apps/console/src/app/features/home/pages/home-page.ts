import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import { BackupsCard } from '../components/backups-card';
import { DayView } from '../components/day-view';
import { ServiceStatusCard } from '../components/service-status-card';
import { BackupsStore } from '../data/backups.store';
import { DayStore } from '../data/day.store';
import { HomeStore } from '../data/home.store';

@Component({
  selector: 'app-home-page',
  imports: [BackupsCard, DayView, ServiceStatusCard, TranslocoPipe],
  templateUrl: './home-page.html',
  styleUrl: './home-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage implements OnInit {
  private readonly session = inject(SessionStore);
  protected readonly store = inject(HomeStore);
  protected readonly backups = inject(BackupsStore);
  protected readonly days = inject(DayStore);
  /** Backups are the keyring admins' concern (the same permission as the keys page). */
  protected readonly showBackups = computed(() => this.session.permissions().has('keys:manage'));
  /** Case staff (caseworkers, coordinators) run their day from here. */
  protected readonly showDay = computed(() => this.session.permissions().has('case:read'));
  /** The service's status is for admins, and for everyone without a day to run. */
  protected readonly showStatus = computed(
    () => !this.showDay() || this.session.permissions().has('organisation:manage'),
  );

  ngOnInit(): void {
    if (this.showStatus()) this.store.refresh();
    if (this.showBackups()) this.backups.load();
    if (this.showDay()) this.days.load();
  }
}
