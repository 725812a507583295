import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { FormControl, FormGroup } from '@angular/forms';
import type { Role, RoleSetProblem } from '@harbour/domain';
import { checkRoleSet, ROLES } from '@harbour/domain';

/** One checkbox per role. */
export type RoleControls = Record<Role, FormControl<boolean>>;

export const ROLE_PROBLEM_KEYS: Readonly<Record<RoleSetProblem, string>> = {
  empty: 'admin.roles.problems.empty',
  duplicate: 'admin.roles.problems.duplicate',
  auditor_combined: 'admin.roles.problems.auditorCombined',
};

export function selectedRoles(value: Partial<Record<Role, boolean>>): Role[] {
  return ROLES.filter((role) => value[role] === true);
}

/** Separation of duties, checked by the same rule the API applies (`checkRoleSet`). */
export const roleSetValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const problem = checkRoleSet(selectedRoles(group.value as Partial<Record<Role, boolean>>));
  return problem === null ? null : { roleSet: problem };
};

export function roleGroup(initial: readonly Role[]): FormGroup<RoleControls> {
  const control = (role: Role): FormControl<boolean> =>
    new FormControl(initial.includes(role), { nonNullable: true });
  return new FormGroup<RoleControls>(
    {
      caseworker: control('caseworker'),
      coordinator: control('coordinator'),
      auditor: control('auditor'),
      admin: control('admin'),
    },
    { validators: roleSetValidator },
  );
}

/** The translation key for the group's role-set problem, if any. */
export function roleProblemKey(group: AbstractControl): string | null {
  const problem: unknown = group.errors?.['roleSet'];
  return typeof problem === 'string' && problem in ROLE_PROBLEM_KEYS
    ? ROLE_PROBLEM_KEYS[problem as RoleSetProblem]
    : null;
}
