import { ChangeDetectionStrategy, Component, inject, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  MAX_CANARY_CONTACTS,
  MAX_IDENTITY_TEXT_LENGTH,
  type CanaryView,
  type PlantCanaryRequest,
} from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { FormError } from '../../../core/ui/form-error';
import { CanariesStore } from '../data/canaries.store';

/**
 * Plants a canary: an optional made-up name (one an insider might look for; Harbour makes one
 * up otherwise), the staff member it appears logged by, and how many contacts it has.
 */
@Component({
  selector: 'app-plant-canary-dialog',
  imports: [
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './plant-canary-dialog.html',
  styleUrl: './user-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'plant-canary-dialog' },
})
export class PlantCanaryDialog {
  private readonly destroyRef = inject(DestroyRef);
  private readonly ref = inject<MatDialogRef<PlantCanaryDialog, CanaryView>>(MatDialogRef);
  protected readonly store = inject(CanariesStore);

  protected readonly contactCounts = Array.from({ length: MAX_CANARY_CONTACTS + 1 }, (_, i) => i);
  protected readonly form = inject(NonNullableFormBuilder).group({
    givenName: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
    familyName: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
    alias: ['', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
    caseworkerId: [''],
    contacts: [2],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);

  protected submit(): void {
    if (this.busy()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { givenName, familyName, alias, caseworkerId, contacts } = this.form.getRawValue();
    const identity = Object.fromEntries(
      Object.entries({ givenName, familyName, alias })
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v !== ''),
    );
    const request: PlantCanaryRequest = {
      ...(Object.keys(identity).length > 0 ? { identity } : {}),
      ...(caseworkerId === '' ? {} : { caseworkerId }),
      contacts,
    };
    this.busy.set(true);
    this.error.set(null);
    this.store
      .plant(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (canary) => this.ref.close(canary),
        error: (error: unknown) => {
          this.error.set(appErrorOf(error));
          this.busy.set(false);
        },
        complete: () => this.busy.set(false),
      });
  }
}
