import type { Page } from 'playwright-core';

/** The little of the DOM these page functions use (the project compiles without lib.dom). */
interface BrowserGlobals {
  document: {
    body: unknown;
    querySelector(selector: string): { addEventListener(type: string, listener: () => void, options: object): void } | null;
  };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
  omnigateMarks?: Record<string, number>;
}

/**
 * Browser-side timestamps (one machine, one clock for every page), so a latency measures the app
 * and not Playwright's actionability checks and polling.
 */
export async function markClick(page: Page, testId: string, mark: string): Promise<void> {
  await page.evaluate(
    ([testId, mark]) => {
      const g = globalThis as unknown as BrowserGlobals;
      const marks = (g.omnigateMarks ??= {});
      g.document.querySelector(`[data-testid="${testId}"]`)!.addEventListener('click', () => (marks[mark] ??= Date.now()), { capture: true, once: true });
    },
    [testId, mark] as const,
  );
}

export async function markAppearance(page: Page, selector: string, mark: string): Promise<void> {
  await page.evaluate(
    ([selector, mark]) => {
      const g = globalThis as unknown as BrowserGlobals;
      const marks = (g.omnigateMarks ??= {});
      const observer = new g.MutationObserver(() => {
        if (!g.document.querySelector(selector)) return;
        marks[mark] = Date.now();
        observer.disconnect();
      });
      observer.observe(g.document.body, { childList: true, subtree: true });
    },
    [selector, mark] as const,
  );
}

export function readMark(page: Page, mark: string): Promise<number | undefined> {
  return page.evaluate((mark) => (globalThis as unknown as BrowserGlobals).omnigateMarks?.[mark], mark);
}
