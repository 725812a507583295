import { generatePersonCode } from '@harbour/domain';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DuplicateCandidate } from '@harbour/domain';
import { Clock } from '../time/clock';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { byTestId, settle } from '../../../testing/dom';
import { DuplicateWarning } from './duplicate-warning';

const CODE = generatePersonCode((b) => b.fill(7));
const OTHER = generatePersonCode((b) => b.fill(9));

@Component({
  imports: [DuplicateWarning],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-duplicate-warning
    [candidates]="candidates()"
    (use)="used.set($event.code)"
    (createAnyway)="anyway.set(true)"
  />`,
})
class Host {
  readonly candidates = signal<readonly DuplicateCandidate[]>([
    {
      id: '0190a3c5-0000-7000-8000-00000000000a',
      code: CODE,
      matchedOn: ['name'],
      lastSeenOn: '2026-02-27',
    },
    {
      id: '0190a3c5-0000-7000-8000-00000000000b',
      code: OTHER,
      matchedOn: ['phone'],
      lastSeenOn: null,
    },
  ]);
  readonly used = signal<string | null>(null);
  readonly anyway = signal(false);
}

describe('DuplicateWarning', () => {
  async function render() {
    TestBed.configureTestingModule({
      providers: [
        provideTranslocoTesting(),
        { provide: Clock, useValue: { now: () => Date.parse('2026-03-20T09:00:00Z') } },
      ],
    });
    const fixture = TestBed.createComponent(Host);
    document.body.appendChild(fixture.nativeElement as HTMLElement);
    fixture.detectChanges();
    await settle();
    fixture.detectChanges();
    return fixture;
  }

  afterEach(() => (document.body.innerHTML = ''));

  it('says which code it may be and when they were last seen, with no name', async () => {
    await render();
    const text = byTestId('duplicate-warning').textContent ?? '';
    expect(text).toContain(`This may be ${CODE}, seen 3 weeks ago`);
    expect(text).toContain(`This may be ${OTHER} (no contacts yet)`);
    expect(text).toContain('Same phone');
  });

  it('offers "Use this person" per candidate and one "Create anyway"', async () => {
    const fixture = await render();
    document.querySelector<HTMLButtonElement>(`li[data-code="${CODE}"] button`)!.click();
    expect(fixture.componentInstance.used()).toBe(CODE);
    byTestId('duplicate-create').click();
    expect(fixture.componentInstance.anyway()).toBe(true);
  });
});
