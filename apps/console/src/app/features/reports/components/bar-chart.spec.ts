import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import type { ChartBar } from './bar-chart';
import { BarChart, MAX_BAR_PERCENT, ROW_HEIGHT } from './bar-chart';

const BARS: readonly ChartBar[] = [
  { id: 'legal', label: { kind: 'key', key: 'taxonomy.need.legal' }, value: 20 },
  { id: 'housing', label: { kind: 'key', key: 'taxonomy.need.housing' }, value: null },
  { id: 'p-1', label: { kind: 'text', text: 'Safe House' }, value: 10 },
  { id: '2026-01', label: { kind: 'month', month: '2026-01' }, value: 0 },
];

describe('BarChart', () => {
  let fixture: ComponentFixture<BarChart>;
  let root: HTMLElement;

  async function render(inputs: Record<string, unknown> = {}): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideTranslocoTesting()] });
    fixture = TestBed.createComponent(BarChart);
    fixture.componentRef.setInput('bars', BARS);
    fixture.componentRef.setInput('label', 'Needs per category');
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  }

  function bar(id: string): SVGGElement {
    const element = root.querySelector<SVGGElement>(`[data-testid="bar-${id}"]`);
    if (element === null) throw new Error(`no bar ${id}`);
    return element;
  }

  function text(element: Element | null): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  it('is one labelled image for screen readers, as tall as its bars', async () => {
    await render();
    const svg = root.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Needs per category');
    expect(svg.getAttribute('width')).toBe('100%');
    expect(svg.getAttribute('height')).toBe(String(4 * ROW_HEIGHT));
    expect(svg.getAttribute('style')).toBeNull();
  });

  it('draws a bar per value, scaled to the largest, each with its name and value', async () => {
    await render();
    const legal = bar('legal');
    expect(text(legal.querySelector('.bar-label'))).toBe('Legal');
    expect(legal.querySelector('rect')?.getAttribute('width')).toBe(`${MAX_BAR_PERCENT}%`);
    expect(text(legal.querySelector('[data-testid="bar-value"]'))).toBe('20');
    expect(legal.hasAttribute('data-not-published')).toBe(false);

    const partner = bar('p-1');
    expect(text(partner.querySelector('.bar-label'))).toBe('Safe House');
    expect(partner.querySelector('rect')?.getAttribute('width')).toBe(`${MAX_BAR_PERCENT / 2}%`);

    const month = bar('2026-01');
    expect(text(month.querySelector('.bar-label'))).toBe('January 2026');
    expect(month.querySelector('rect')).toBeNull();
    expect(text(month.querySelector('[data-testid="bar-value"]'))).toBe('0');
  });

  it('draws no bar for a value that is not published, only the marker: no length is true', async () => {
    await render();
    const housing = bar('housing');
    expect(housing.getAttribute('data-not-published')).toBe('true');
    expect(housing.querySelector('rect')).toBeNull();
    expect(text(housing.querySelector('[data-testid="bar-value"]'))).toBe('n/p');
    // Never a bound: nothing says "< 5" (such a figure can be large).
    expect(root.textContent).not.toContain('<');
  });

  it('scales to the largest published value, whatever is not published', async () => {
    await render({
      bars: [
        { id: 'a', label: { kind: 'text', text: 'A' }, value: null },
        { id: 'b', label: { kind: 'text', text: 'B' }, value: 3 },
      ],
    });
    expect(bar('a').querySelector('rect')).toBeNull();
    expect(bar('b').querySelector('rect')?.getAttribute('width')).toBe(`${MAX_BAR_PERCENT}%`);
  });

  it('formats days, and names quarters', async () => {
    await render({
      format: 'days',
      bars: [
        { id: 'legal', label: { kind: 'text', text: 'Legal' }, value: 7.5 },
        { id: '2026-Q3', label: { kind: 'quarter', quarter: '2026-Q3' }, value: 2 },
      ],
    });
    expect(text(bar('legal').querySelector('[data-testid="bar-value"]'))).toBe('7.5');
    expect(text(bar('2026-Q3').querySelector('.bar-label'))).toBe('Q3 2026');
  });
});
