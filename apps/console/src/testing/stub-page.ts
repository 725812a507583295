import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A routed page with nothing on it, for tests about navigation. */
@Component({
  selector: 'app-stub-page',
  template: 'stub page',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StubPage {}
