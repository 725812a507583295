/** The element with `data-testid="<id>"` anywhere in the document (dialogs live in an overlay). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`no element with data-testid="${id}"`);
  return element;
}

export function maybeByTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.querySelector<T>(`[data-testid="${id}"]`);
}

/** Types into an input the way a person does (value, then the `input` event forms listen to). */
export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

/** Lets pending promise callbacks (lazy imports, `firstValueFrom`) run. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}
