import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { ServiceStatusCard } from '../components/service-status-card';
import { HomeStore } from '../data/home.store';

@Component({
  selector: 'app-home-page',
  imports: [ServiceStatusCard, TranslocoPipe],
  templateUrl: './home-page.html',
  styleUrl: './home-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage implements OnInit {
  protected readonly store = inject(HomeStore);

  ngOnInit(): void {
    this.store.refresh();
  }
}
