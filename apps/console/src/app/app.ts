import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Shell } from './shell/shell';

/** Root component: everything visible lives in the shell and the routed pages. */
@Component({
  selector: 'app-root',
  imports: [Shell],
  template: '<app-shell />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
