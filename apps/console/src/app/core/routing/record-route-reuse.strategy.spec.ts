import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, provideRouter, Router, RouteReuseStrategy } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { RecordRouteReuseStrategy } from './record-route-reuse.strategy';

const created: string[] = [];

/** A page that reads its record once, as the person page does. */
@Component({
  selector: 'app-record-page',
  template: '{{ id }}',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class RecordPage implements OnInit {
  private readonly route = inject(ActivatedRoute);
  protected id = '';

  ngOnInit(): void {
    this.id = this.route.snapshot.paramMap.get('id') ?? '';
    created.push(this.id);
  }
}

describe('RecordRouteReuseStrategy', () => {
  beforeEach(() => {
    created.length = 0;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'people/:id', component: RecordPage }]),
        { provide: RouteReuseStrategy, useClass: RecordRouteReuseStrategy },
      ],
    });
  });

  it('makes a new page for another record, so nothing of the first one stays on it', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/people/a');
    await harness.navigateByUrl('/people/b');
    expect(created).toEqual(['a', 'b']);
    expect(harness.routeNativeElement?.textContent).toBe('b');
  });

  it('keeps the page when only the query changes', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/people/a?tab=1');
    await TestBed.inject(Router).navigateByUrl('/people/a?tab=2');
    expect(created).toEqual(['a']);
  });
});
