import { BreakpointObserver } from '@angular/cdk/layout';
import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { map } from 'rxjs';
import { LanguageMenu } from './language-menu';

/** At this width and above the navigation sits beside the content; below, it slides over it. */
export const WIDE_LAYOUT_QUERY = '(min-width: 960px)';

/** Height of the toolbar at every width (see shell.scss); the drawer opens below it. */
export const TOOLBAR_HEIGHT_PX = 56;

/** One entry of the main navigation: a route and the translation key of its label. */
interface NavItem {
  readonly path: string;
  readonly labelKey: string;
  readonly icon: string;
  readonly exact: boolean;
}

@Component({
  selector: 'app-shell',
  imports: [
    LanguageMenu,
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    TranslocoPipe,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly breakpoints = inject(BreakpointObserver);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  protected readonly wide = toSignal(
    this.breakpoints.observe(WIDE_LAYOUT_QUERY).pipe(map((state) => state.matches)),
    { initialValue: this.breakpoints.isMatched(WIDE_LAYOUT_QUERY) },
  );
  protected readonly toolbarHeight = TOOLBAR_HEIGHT_PX;
  /** Whether the slide-over navigation is open (narrow screens only). */
  protected readonly navOpen = signal(false);

  protected readonly navItems: readonly NavItem[] = [
    { path: '/', labelKey: 'shell.nav.home', icon: 'home', exact: true },
  ];

  constructor() {
    // Leaving the narrow layout must not leave a stale "open" state behind.
    effect(() => {
      if (this.wide()) this.navOpen.set(false);
    });
  }

  protected toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  protected onNavOpenedChange(opened: boolean): void {
    if (!this.wide()) this.navOpen.set(opened);
  }

  protected closeNavIfOver(): void {
    if (!this.wide()) this.navOpen.set(false);
  }

  /** Moves focus (not only the scroll position) to the main content, past the navigation. */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }
}
