import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { FormError } from '../../../core/ui/form-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { PluralPipe, type PluralKeys } from '../../../core/i18n/plural.pipe';
import { KeyWorkerPeopleStore } from '../data/key-worker-people.store';

/**
 * A coordinator hands some or all of one worker's people to another active caseworker or
 * coordinator (a worker leaving, going on leave, or a caseload shared out). The hand-over is
 * recorded and is one access event naming every person moved.
 */
@Component({
  selector: 'app-hand-over-page',
  imports: [
    FormError,
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    NumberPipe,
    PluralPipe,
    TranslocoPipe,
  ],
  providers: [KeyWorkerPeopleStore],
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
    }
    <h1 class="page-heading" data-testid="hand-over-heading">
      {{ 'keyWorkers.handOver.heading' | transloco }}
    </h1>
    <p class="intro">{{ 'keyWorkers.handOver.intro' | transloco }}</p>
    <app-form-error testId="hand-over-error" [error]="error()" />
    <div role="status">
      @if (receipt(); as r) {
        <p class="notice" data-testid="hand-over-receipt">
          {{
            doneKeys
              | appPlural: r.count : language().code
              | transloco
                : { count: (r.count | appNumber: language().code), name: nameOf(r.toStaffId) }
          }}
        </p>
      }
    </div>
    <div class="row">
      <mat-form-field appearance="outline">
        <mat-label>{{ 'keyWorkers.handOver.from' | transloco }}</mat-label>
        <mat-select
          data-testid="hand-over-from"
          [ngModel]="from()"
          (ngModelChange)="chooseFrom($event)"
        >
          @for (staff of staff(); track staff.id) {
            <mat-option [value]="staff.id">
              {{ staff.displayName }}
              @if (!staff.active) {
                ({{ 'keyWorkers.handOver.inactive' | transloco }})
              }
            </mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>{{ 'keyWorkers.handOver.to' | transloco }}</mat-label>
        <mat-select data-testid="hand-over-to" [ngModel]="to()" (ngModelChange)="to.set($event)">
          @for (staff of receivers(); track staff.id) {
            <mat-option [value]="staff.id">{{ staff.displayName }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    @if (from() !== null) {
      @if (people().length === 0 && !loading()) {
        <p class="muted" data-testid="hand-over-none">
          {{ 'keyWorkers.handOver.none' | transloco }}
        </p>
      } @else {
        <mat-checkbox
          data-testid="hand-over-all"
          [checked]="all()"
          (change)="all.set($event.checked)"
        >
          {{ 'keyWorkers.handOver.all' | transloco }}
        </mat-checkbox>
        @if (!all()) {
          <ul class="list" data-testid="hand-over-people">
            @for (person of people(); track person.personId) {
              <li>
                <mat-checkbox
                  data-testid="hand-over-person"
                  [checked]="selected().has(person.personId)"
                  (change)="toggle(person.personId, $event.checked)"
                >
                  <span class="code">{{ person.code }}</span>
                </mat-checkbox>
              </li>
            }
          </ul>
          @if (hasMore()) {
            <button mat-stroked-button type="button" (click)="more()">
              {{ 'keyWorkers.more' | transloco }}
            </button>
          }
        }
        <p>
          <button
            mat-flat-button
            type="button"
            data-testid="hand-over-submit"
            [disabled]="!ready() || busy()"
            (click)="handOver()"
          >
            {{ 'keyWorkers.handOver.submit' | transloco }}
          </button>
        </p>
      }
    }
  `,
  styleUrl: '../../../core/cases/cases-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HandOverPage implements OnInit {
  private readonly store = inject(KeyWorkerPeopleStore);
  protected readonly language = inject(LanguageService).active;
  protected readonly doneKeys: PluralKeys = {
    one: 'keyWorkers.handOver.done.one',
    other: 'keyWorkers.handOver.done.other',
  };

  protected readonly staff = this.store.staff;
  protected readonly people = this.store.people;
  protected readonly hasMore = this.store.hasMore;
  protected readonly loading = this.store.loading;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly receipt = this.store.receipt;
  protected readonly from = signal<string | null>(null);
  protected readonly to = signal<string | null>(null);
  protected readonly all = signal(true);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly receivers = computed(() =>
    this.store.activeStaff().filter((s) => s.id !== this.from()),
  );
  protected readonly ready = computed(
    () =>
      this.from() !== null &&
      this.to() !== null &&
      this.to() !== this.from() &&
      (this.all() || this.selected().size > 0),
  );

  ngOnInit(): void {
    this.store.loadStaff();
  }

  protected nameOf(staffId: string): string {
    return this.staff().find((s) => s.id === staffId)?.displayName ?? '';
  }

  protected chooseFrom(staffId: string): void {
    this.from.set(staffId);
    if (this.to() === staffId) this.to.set(null);
    this.selected.set(new Set());
    this.all.set(true);
    this.store.open(staffId);
  }

  protected toggle(personId: string, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) next.add(personId);
    else next.delete(personId);
    this.selected.set(next);
  }

  protected more(): void {
    this.store.more();
  }

  protected handOver(): void {
    const to = this.to();
    if (to === null || !this.ready()) return;
    this.store.handOver(to, this.all() ? null : [...this.selected()]);
    this.selected.set(new Set());
  }
}
