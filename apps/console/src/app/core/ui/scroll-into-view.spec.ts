import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ScrollIntoView } from './scroll-into-view';

@Component({
  imports: [ScrollIntoView],
  template: `
    <div role="status">
      @if (saved()) {
        <p class="notice" appScrollIntoView>Contact saved.</p>
      }
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly saved = signal(false);
}

describe('ScrollIntoView', () => {
  const original = Element.prototype.scrollIntoView;
  let scrolled: { element: Element; options: ScrollIntoViewOptions | undefined }[];

  beforeEach(() => {
    scrolled = [];
    Element.prototype.scrollIntoView = function (this: Element, options?: unknown) {
      scrolled.push({ element: this, options: options as ScrollIntoViewOptions | undefined });
    };
  });

  afterEach(() => {
    Element.prototype.scrollIntoView = original;
  });

  it('brings a confirmation into view when it appears, not before', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    expect(scrolled).toEqual([]);

    fixture.componentInstance.saved.set(true);
    await fixture.whenStable();

    expect(scrolled).toHaveLength(1);
    expect((scrolled[0]?.element as HTMLElement).textContent).toBe('Contact saved.');
    expect(scrolled[0]?.options?.block).toBe('nearest');
  });
});
