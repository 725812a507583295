import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ServiceStatus } from '../data/home.store';

/** Shows the service status with a way to check again. Presentational: state in, event out. */
@Component({
  selector: 'app-service-status-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatProgressSpinnerModule, TranslocoPipe],
  templateUrl: './service-status-card.html',
  styleUrl: './service-status-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ServiceStatusCard {
  readonly status = input.required<ServiceStatus>();
  readonly refresh = output();

  protected readonly loading = computed(() => this.status().kind === 'loading');
}
