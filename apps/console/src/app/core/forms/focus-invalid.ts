import type { Injector } from '@angular/core';
import { afterNextRender } from '@angular/core';

/**
 * After the next render (when Material has marked the fields), moves focus to the first field
 * marked invalid inside `host`, so that a keyboard or screen-reader user lands on what to fix.
 */
export function focusFirstInvalid(host: HTMLElement, injector: Injector): void {
  afterNextRender(
    () => {
      const target = host.querySelector<HTMLElement>(
        '[aria-invalid="true"], .mat-mdc-chip-listbox.ng-invalid, .ng-invalid[formcontrolname]:not(form)',
      );
      target?.focus();
    },
    { injector },
  );
}
