import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { FormGroup } from '@angular/forms';
import { ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { ROLES } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { ROLE_HINT_KEYS, ROLE_LABEL_KEYS } from '../../../core/auth/role-labels';
import type { RoleControls } from '../data/role-form';
import { roleProblemKey } from '../data/role-form';

/** Roles as checkboxes, each with what it allows, and the separation-of-duties rule. */
@Component({
  selector: 'app-role-picker',
  imports: [MatCheckboxModule, ReactiveFormsModule, TranslocoPipe],
  templateUrl: './role-picker.html',
  styleUrl: './role-picker.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RolePicker {
  readonly group = input.required<FormGroup<RoleControls>>();
  /** Prefix of the checkboxes' `data-testid`s: `<prefix>-role-<role>`. */
  readonly testIdPrefix = input.required<string>();
  /** Show the rule's message (after a submit attempt, or once a box was changed). */
  readonly showErrors = input(false);

  protected readonly roles = ROLES;
  protected readonly labelKeys = ROLE_LABEL_KEYS;
  protected readonly hintKeys = ROLE_HINT_KEYS;
  protected readonly problemKey = roleProblemKey;
}
