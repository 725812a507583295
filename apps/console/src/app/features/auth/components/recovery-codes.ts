import { DOCUMENT } from '@angular/common';
import type { ElementRef } from '@angular/core';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { CopyButton } from '../../../core/ui/copy-button';
import { requiredTrue } from '../../../core/forms/validators';

/**
 * Recovery codes, shown exactly once: copy or print them, confirm they are saved, continue.
 * Printing prints only this list (see `.app-print-only` in styles.scss).
 */
@Component({
  selector: 'app-recovery-codes',
  imports: [
    CopyButton,
    MatButtonModule,
    MatCheckboxModule,
    MatIconModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  templateUrl: './recovery-codes.html',
  styleUrl: './recovery-codes.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecoveryCodes {
  private readonly document = inject(DOCUMENT);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');

  readonly codes = input.required<readonly string[]>();
  readonly confirmed = output();

  protected readonly saved = new FormControl(false, {
    nonNullable: true,
    validators: requiredTrue,
  });
  protected readonly allCodes = computed(() => this.codes().join('\n'));

  constructor() {
    // The form that led here is gone: move focus (and a screen reader) to the codes.
    afterNextRender(() => this.heading().nativeElement.focus());
  }

  protected print(): void {
    this.document.defaultView?.print();
  }

  protected continue(): void {
    this.saved.markAsTouched();
    if (this.saved.valid) this.confirmed.emit();
  }
}
