import { Page, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** Signs in as the guest user; the portal keeps the session afterwards. */
export async function enterAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}

/**
 * Saves a full-page screenshot under docs/screenshots when
 * RF_SCREENSHOTS=1, so the committed pictures come from a real run.
 */
export async function saveScreenshot(page: Page, name: string) {
  if (process.env.RF_SCREENSHOTS !== '1') {
    return;
  }
  const dir = path.resolve(__dirname, '../../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
