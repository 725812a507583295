import { Directive } from '@angular/core';
import type { AccessEventView } from '@harbour/domain';

/** The context of an `<ng-template appEventTemplate let-event>`: one access event. */
export interface EventTemplateContext {
  readonly $implicit: AccessEventView;
}

/**
 * Marks an `ng-template` whose `let-event` is an `AccessEventView`, so that strict template
 * checking types it (a bare `ng-template` context is `any`).
 */
@Directive({ selector: 'ng-template[appEventTemplate]' })
export class EventTemplate {
  static ngTemplateContextGuard(
    _dir: EventTemplate,
    _context: unknown,
  ): _context is EventTemplateContext {
    return true;
  }
}
