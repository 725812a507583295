import { BreakpointObserver } from '@angular/cdk/layout';
import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
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
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Permission } from '@harbour/domain';
import { filter, map } from 'rxjs';
import { SessionStore } from '../core/auth/session.store';
import { DayCountsStore } from '../core/cases/day-counts.store';
import { QuickExitButton } from '../core/safety/quick-exit-button';
import { OutboxPanel } from '../core/device/outbox-panel';
import { LanguageMenu } from './language-menu';
import { UserMenu } from './user-menu';

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
  readonly testId: string;
  /** Shown only with this permission (the route requires it too). */
  readonly permission?: Permission;
  /** Shown only during a lockdown, when it is the only entry (the API refuses everything else). */
  readonly lockdownOnly?: boolean;
}

const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', labelKey: 'shell.nav.home', icon: 'home', exact: true, testId: 'nav-home' },
  {
    path: '/contacts/new',
    labelKey: 'shell.nav.logContact',
    icon: 'add',
    exact: false,
    testId: 'nav-log-contact',
    permission: 'case:write',
  },
  {
    path: '/people',
    labelKey: 'shell.nav.people',
    icon: 'search',
    exact: false,
    testId: 'nav-people',
    permission: 'identity:reveal',
  },
  {
    path: '/intake',
    labelKey: 'shell.nav.intake',
    icon: 'group',
    exact: false,
    testId: 'nav-intake',
    permission: 'case:write',
  },
  {
    path: '/partners',
    labelKey: 'shell.nav.partners',
    icon: 'store',
    exact: false,
    testId: 'nav-partners',
  },
  {
    path: '/admin/users',
    labelKey: 'shell.nav.users',
    icon: 'group',
    exact: false,
    testId: 'nav-users',
    permission: 'staff:manage',
  },
  {
    path: '/admin/organisation',
    labelKey: 'shell.nav.organisation',
    icon: 'business',
    exact: false,
    testId: 'nav-organisation',
    permission: 'organisation:manage',
  },
  {
    path: '/lockdown',
    labelKey: 'shell.nav.lockdown',
    icon: 'lock',
    exact: false,
    testId: 'nav-lockdown',
    permission: 'organisation:manage',
    lockdownOnly: true,
  },
  {
    path: '/admin/canaries',
    labelKey: 'shell.nav.canaries',
    icon: 'policy',
    exact: false,
    testId: 'nav-canaries',
    permission: 'canaries:manage',
  },
  {
    path: '/admin/keys',
    labelKey: 'shell.nav.keys',
    icon: 'key',
    exact: false,
    testId: 'nav-keys',
    permission: 'keys:manage',
  },
  {
    path: '/disclosures',
    labelKey: 'shell.nav.disclosures',
    icon: 'policy',
    exact: false,
    testId: 'nav-disclosures',
    permission: 'disclosure:approve',
  },
  {
    path: '/admin/retention',
    labelKey: 'shell.nav.retention',
    icon: 'delete',
    exact: false,
    testId: 'nav-retention',
    permission: 'retention:manage',
  },
  {
    path: '/audit',
    labelKey: 'shell.nav.audit',
    icon: 'policy',
    exact: false,
    testId: 'nav-audit',
    permission: 'audit:read',
  },
  {
    path: '/reports',
    labelKey: 'shell.nav.reports',
    icon: 'bar_chart',
    exact: false,
    testId: 'nav-reports',
    permission: 'reports:read',
  },
];

@Component({
  selector: 'app-shell',
  imports: [
    LanguageMenu,
    OutboxPanel,
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    QuickExitButton,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    TranslocoPipe,
    UserMenu,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly breakpoints = inject(BreakpointObserver);
  private readonly session = inject(SessionStore);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  private readonly dayCounts = inject(DayCountsStore);
  private readonly navigated = toSignal(
    inject(Router).events.pipe(filter((event) => event instanceof NavigationEnd)),
  );

  protected readonly wide = toSignal(
    this.breakpoints.observe(WIDE_LAYOUT_QUERY).pipe(map((state) => state.matches)),
    { initialValue: this.breakpoints.isMatched(WIDE_LAYOUT_QUERY) },
  );
  protected readonly toolbarHeight = TOOLBAR_HEIGHT_PX;
  /** Whether the slide-over navigation is open (narrow screens only). */
  protected readonly navOpen = signal(false);

  /** Signed-out people see the sign-in page only: no navigation, no user menu. */
  protected readonly signedIn = this.session.authenticated;
  /** A one-time password must be changed first: nothing to navigate to until then. */
  protected readonly showNav = computed(
    () => this.signedIn() && !this.session.mustChangePassword(),
  );
  /** The organisation is in lockdown: a banner, and the lockdown page is the only entry. */
  protected readonly lockdown = this.session.lockdown;
  protected readonly navItems = computed(() => {
    const permissions = this.session.permissions();
    const lockdown = this.lockdown();
    return NAV_ITEMS.filter(
      (item) =>
        (item.lockdownOnly === true) === lockdown &&
        (item.permission === undefined || permissions.has(item.permission)),
    );
  });

  /** Case staff see what is due on the home entry: due and overdue follow-ups, quiet referrals. */
  protected readonly showDayCounts = computed(
    () => this.showNav() && !this.lockdown() && this.session.permissions().has('case:read'),
  );
  protected readonly dueCount = computed(() => {
    const counts = this.dayCounts.counts();
    return counts === null ? 0 : counts.followUpsDue + counts.staleReferrals;
  });

  constructor() {
    // The badge is refreshed as the worker moves around (at most once a minute).
    effect(() => {
      this.navigated();
      if (this.showDayCounts()) this.dayCounts.refresh();
      else this.dayCounts.clear();
    });
    // Leaving the narrow layout, or signing out, must not leave a stale "open" state behind.
    effect(() => {
      if (this.wide() || !this.showNav()) this.navOpen.set(false);
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
