import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The impacts that fail a test: what stops or seriously hinders someone using the app. */
const BLOCKING: ImpactValue[] = ['serious', 'critical'];

/**
 * Runs axe-core on what the page shows now and answers its serious and critical violations,
 * one readable line per element. The page's context needs `bypassCSP` (the app's CSP would
 * refuse the injected script).
 */
export async function seriousAxeViolations(page: Page, within?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  // `within`: a CSS selector, to check only that part of the page (one new component).
  const results = await page.evaluate((selector) => {
    const { axe } = window as unknown as {
      axe: { run: (context: Document | { include: string[][] }) => Promise<AxeResults> };
    };
    return axe.run(selector ? { include: [[selector]] } : document);
  }, within);
  return results.violations
    .filter((violation) => violation.impact && BLOCKING.includes(violation.impact))
    .flatMap(describe);
}

function describe(violation: Result): string[] {
  return violation.nodes.map(
    (node) => `${violation.id} (${violation.impact}): ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
  );
}
