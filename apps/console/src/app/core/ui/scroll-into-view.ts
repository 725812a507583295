import { afterNextRender, Directive, ElementRef, inject } from '@angular/core';

/**
 * Brings a confirmation into the viewport when it appears ("Contact saved." above a long form
 * is otherwise off-screen on a phone, where the person has scrolled down to the Save button).
 * Put it on the element inside the `@if` that shows the confirmation, in a polite live region
 * (`role="status"`) so that screen readers announce it too. Smooth unless the person asked for
 * reduced motion.
 */
@Directive({ selector: '[appScrollIntoView]' })
export class ScrollIntoView {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    afterNextRender(() => {
      const element = this.host.nativeElement;
      const reduce = element.ownerDocument.defaultView?.matchMedia?.(
        '(prefers-reduced-motion: reduce)',
      ).matches;
      element.scrollIntoView?.({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
    });
  }
}
