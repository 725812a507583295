import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './harbour-process';

/** The WCAG rules axe runs: 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** One serious or critical axe violation on one element. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly target: string;
  readonly summary: string;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in `page` and returns its serious and critical violations. The console's CSP
 * admits only nonce'd or same-origin scripts, so axe is not added as a `<script>`: its source is
 * evaluated through the DevTools protocol (`page.evaluate`), which CSP does not govern. Nothing
 * else in the test bypasses the CSP; the page's own scripts run under it as in production.
 */
export async function runAxe(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags: string[]) => {
    const axe = (window as unknown as { axe: AxeApi }).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    const findings: AxeFinding[] = [];
    for (const violation of results.violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      for (const node of violation.nodes) {
        findings.push({
          rule: violation.id,
          impact: violation.impact,
          target: node.target.join(' '),
          summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
        });
      }
    }
    return findings;

    interface AxeApi {
      run(
        context: Document,
        options: object,
      ): Promise<{
        violations: {
          id: string;
          impact: string | null;
          nodes: { target: string[]; failureSummary?: string }[];
        }[];
      }>;
    }
  }, WCAG_TAGS);
}

/** The top-level groups of the English translations (`cases`, `shell`, `errors`…). */
const TRANSLATION_GROUPS: readonly string[] = Object.keys(
  JSON.parse(readFileSync(join(ROOT, 'apps/console/src/assets/i18n/en.json'), 'utf8')) as Record<
    string,
    unknown
  >,
);

/**
 * Raw translation keys rendered in the page (text, the title, or the accessible names and
 * placeholders in attributes). Transloco shows a key that no language has as the key itself
 * (`cases.person.heading`), so a missing translation shows up here as a dotted word whose first
 * part is one of en.json's groups.
 */
export async function rawKeysShown(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out = [document.title, document.body.innerText];
    for (const element of Array.from(document.querySelectorAll('*'))) {
      for (const name of ['aria-label', 'placeholder', 'title', 'alt', 'aria-description']) {
        const value = element.getAttribute(name);
        if (value !== null) out.push(value);
      }
    }
    return out;
  });
  const found = new Set<string>();
  const pattern = /(?<![\w@.])([a-z][A-Za-z0-9]*)((?:\.[A-Za-z0-9_]+)+)(?![\w@])/g;
  for (const text of texts) {
    for (const match of text.matchAll(pattern)) {
      if (TRANSLATION_GROUPS.includes(match[1] ?? '')) found.add(match[0]);
    }
  }
  return [...found];
}

/** An interactive element smaller than 44×44 CSS px. */
export interface SmallTarget {
  readonly element: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Every visible interactive element of the page (buttons, links, form fields, chips, menu items,
 * list rows, tabs) whose target is smaller than `min`×`min` CSS px. A target is the element's
 * box together with Angular Material's invisible touch-target box inside it (clicks there reach
 * the element). Links inside running text are exempt (WCAG 2.5.8 "inline").
 */
export async function smallTargets(page: Page, min = 44): Promise<SmallTarget[]> {
  return page.evaluate((minimum: number) => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      'mat-select',
      '[role="button"]',
      '[role="link"]',
      '[role="tab"]',
      '[role="checkbox"]',
      '[role="radio"]',
      '[role="switch"]',
      '[role="option"]',
      '[role="menuitem"]',
      '[role="menuitemradio"]',
      '[role="combobox"]',
    ].join(',');
    const small: { element: string; width: number; height: number }[] = [];
    const describe = (element: Element): string => {
      const testId = element.getAttribute('data-testid');
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `${element.tagName.toLowerCase()}${testId ? `[data-testid=${testId}]` : ''}${
        element.className && typeof element.className === 'string'
          ? `.${element.className.trim().split(/\s+/).slice(0, 2).join('.')}`
          : ''
      } "${text}"`;
    };
    for (const element of Array.from(document.querySelectorAll(selector))) {
      if (element.closest('[aria-hidden="true"], .cdk-visually-hidden, .skip-link')) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      let rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      let scope: Element = element;
      // A native control inside a Material control: the control itself is measured instead.
      if (
        element.matches('input, textarea, mat-select, [role="combobox"]') &&
        element.closest('mat-form-field, mat-checkbox, mat-radio-button, mat-slide-toggle')
      ) {
        const host = element.closest(
          '.mat-mdc-text-field-wrapper, .mdc-checkbox, .mdc-radio, mat-slide-toggle',
        );
        if (host !== null) {
          rect = host.getBoundingClientRect();
          scope = host;
        }
      }
      // A link inside a sentence (a paragraph with words of its own) is exempt; a link that
      // stands for a row (a person's code in a list) is not.
      if (element.matches('a[href]') && style.display === 'inline') {
        const sentence = element.closest('p');
        const own = (sentence?.textContent ?? '').replace(element.textContent ?? '', '');
        if (sentence !== null && own.replace(/[\s\p{P}]/gu, '').length >= 12) continue;
      }
      let width = rect.width;
      let height = rect.height;
      for (const touch of Array.from(scope.querySelectorAll('[class*="touch-target"]'))) {
        const box = touch.getBoundingClientRect();
        width = Math.max(width, box.width);
        height = Math.max(height, box.height);
      }
      if (width + 0.5 < minimum || height + 0.5 < minimum) {
        small.push({
          element: describe(element),
          width: Math.round(width),
          height: Math.round(height),
        });
      }
    }
    return small;
  }, min);
}
