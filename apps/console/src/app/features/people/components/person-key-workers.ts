import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { PersonView } from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { FormError } from '../../../core/ui/form-error';
import { KeyWorkersStore } from '../data/key-workers.store';

/**
 * A person's key workers and restriction, on their page. Anyone with case work may become key
 * worker of a person who is not restricted, step down, or hand the person to a colleague;
 * coordinators name or remove anyone and restrict the person (after a confirmation). For someone who may not read a restricted
 * person, it says so in place of the identity and note actions (the page asks `access`).
 */
@Component({
  selector: 'app-person-key-workers',
  imports: [
    FormError,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    TranslocoPipe,
  ],
  providers: [KeyWorkersStore],
  template: `
    <section data-testid="key-workers">
      <h2 class="title">
        {{ 'keyWorkers.title' | transloco }}
        @if (person().restricted) {
          <span class="badge" data-testid="restricted-badge">
            <mat-icon svgIcon="lock" aria-hidden="true" />
            {{ 'keyWorkers.restrictedBadge' | transloco }}
          </span>
        }
      </h2>
      <div role="status">
        @if (notice(); as key) {
          <p class="notice">{{ key | transloco }}</p>
        }
      </div>
      <app-form-error testId="key-workers-error" [error]="error()" />
      @if (keyWorkers(); as k) {
        @if (k.restricted && !k.mayReadProtected) {
          <p class="explanation" data-testid="restricted-explanation">
            {{ 'keyWorkers.restrictedExplanation' | transloco }}
          </p>
        }
        @if (k.keyWorkers.length === 0) {
          <p class="muted" data-testid="key-workers-none">{{ 'keyWorkers.none' | transloco }}</p>
        }
        <ul class="workers" data-testid="key-worker-list">
          @for (worker of k.keyWorkers; track worker.staffId) {
            <li data-testid="key-worker">
              <span>
                {{ worker.displayName }}
                @if (worker.staffId === me()) {
                  <span class="muted">({{ 'keyWorkers.you' | transloco }})</span>
                }
              </span>
              @if (mayWrite() && (k.mayManage || worker.staffId === me())) {
                <button
                  mat-button
                  type="button"
                  data-testid="key-worker-remove"
                  [disabled]="busy()"
                  (click)="remove(worker.staffId)"
                >
                  {{
                    (worker.staffId === me() ? 'keyWorkers.stepDown' : 'keyWorkers.remove')
                      | transloco
                  }}
                </button>
              }
            </li>
          }
        </ul>
        @if (mayWrite() && !k.youAreKeyWorker && (!k.restricted || k.mayManage)) {
          <button
            mat-stroked-button
            type="button"
            data-testid="become-key-worker"
            [disabled]="busy()"
            (click)="becomeKeyWorker()"
          >
            <mat-icon svgIcon="person_add" aria-hidden="true" />
            {{ 'keyWorkers.become' | transloco }}
          </button>
        }
        @if (
          mayWrite() &&
          k.youAreKeyWorker &&
          (!k.restricted || k.mayManage) &&
          colleagues().length > 0
        ) {
          <div class="add">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ 'keyWorkers.handOverTo' | transloco }}</mat-label>
              <mat-select
                data-testid="hand-over-to-colleague"
                [ngModel]="colleague()"
                (ngModelChange)="colleague.set($event)"
              >
                @for (staff of colleagues(); track staff.id) {
                  <mat-option [value]="staff.id">{{ staff.displayName }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <button
              mat-stroked-button
              type="button"
              data-testid="hand-over-person"
              [disabled]="busy() || colleague() === null"
              (click)="handOver()"
            >
              {{ 'keyWorkers.handOverButton' | transloco }}
            </button>
          </div>
        }
        @if (mayWrite() && k.mayManage && candidates().length > 0) {
          <div class="add">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ 'keyWorkers.addLabel' | transloco }}</mat-label>
              <mat-select
                data-testid="key-worker-choose"
                [ngModel]="chosen()"
                (ngModelChange)="chosen.set($event)"
              >
                @for (staff of candidates(); track staff.id) {
                  <mat-option [value]="staff.id">{{ staff.displayName }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <button
              mat-stroked-button
              type="button"
              data-testid="key-worker-add"
              [disabled]="busy() || chosen() === null"
              (click)="add()"
            >
              {{ 'keyWorkers.add' | transloco }}
            </button>
          </div>
        }
        @if (k.mayManage) {
          <div class="restriction">
            @if (confirming()) {
              <p class="warning" data-testid="restriction-confirm-text">
                {{
                  (person().restricted ? 'keyWorkers.confirmLift' : 'keyWorkers.confirmRestrict')
                    | transloco
                }}
              </p>
              <button
                mat-flat-button
                type="button"
                data-testid="restriction-confirm"
                [disabled]="busy()"
                (click)="toggleRestriction()"
              >
                {{ 'keyWorkers.confirm' | transloco }}
              </button>
              <button mat-button type="button" (click)="confirming.set(false)">
                {{ 'common.cancel' | transloco }}
              </button>
            } @else {
              <button
                mat-stroked-button
                type="button"
                data-testid="restriction-toggle"
                [disabled]="busy()"
                (click)="confirming.set(true)"
              >
                <mat-icon
                  [svgIcon]="person().restricted ? 'lock_open' : 'lock'"
                  aria-hidden="true"
                />
                {{ (person().restricted ? 'keyWorkers.lift' : 'keyWorkers.restrict') | transloco }}
              </button>
            }
          </div>
        }
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
      margin-top: 16px;
    }
    .title {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 2px 10px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font: var(--mat-sys-label-large);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .notice {
      margin: 0 0 8px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
    }
    .explanation,
    .warning {
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .workers {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
    }
    .workers li {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .add,
    .restriction {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonKeyWorkers implements OnInit {
  private readonly store = inject(KeyWorkersStore);
  private readonly session = inject(SessionStore);

  readonly person = input.required<PersonView>();
  readonly mayWrite = input(false);
  /** The person changed (restricted or lifted): the page reads them again. */
  readonly changed = output();
  /** Whether the caller may reveal the person and read their notes. */
  readonly access = output<boolean>();

  protected readonly keyWorkers = this.store.keyWorkers;
  protected readonly candidates = this.store.candidates;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  protected readonly me = computed(() => this.session.user()?.id ?? null);
  protected readonly chosen = signal<string | null>(null);
  protected readonly colleague = signal<string | null>(null);
  protected readonly colleagues = computed(() =>
    this.store.activeStaff().filter((s) => s.id !== this.me()),
  );
  protected readonly confirming = signal(false);

  constructor() {
    effect(() => {
      const keyWorkers = this.keyWorkers();
      if (keyWorkers !== null) this.access.emit(keyWorkers.mayReadProtected);
    });
  }

  ngOnInit(): void {
    this.store.open(this.person().id);
  }

  protected becomeKeyWorker(): void {
    const me = this.me();
    if (me !== null) this.store.assign(me);
  }

  protected add(): void {
    const chosen = this.chosen();
    if (chosen === null) return;
    this.store.assign(chosen);
    this.chosen.set(null);
  }

  protected handOver(): void {
    const me = this.me();
    const to = this.colleague();
    if (me === null || to === null) return;
    this.store.handOver(me, to);
    this.colleague.set(null);
  }

  protected remove(staffId: string): void {
    this.store.remove(staffId);
  }

  protected toggleRestriction(): void {
    const person = this.person();
    this.confirming.set(false);
    this.store.setRestriction(!person.restricted, person.version, () => this.changed.emit());
  }
}
