import { test, expect } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

test('runner request reaches the review step', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/create');

  const card = page
    .locator('article, div')
    .filter({ has: page.getByText('Request a specialised runner', { exact: true }) })
    .filter({ has: page.getByRole('button', { name: /choose/i }) })
    .last();
  await card.getByRole('button', { name: /choose/i }).click();

  // Step 1: the pool picker lists the catalog's hardware pools.
  await page.getByRole('button', { name: /hardware pool/i }).click();
  await page.getByRole('option', { name: 'ARM pool' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the project picker accepts a typed path.
  const project = page.getByLabel(/GitLab project or group/);
  await project.fill('physics/alignment');
  await project.press('Enter');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: the tag list starts with one empty item because minItems is 1.
  await page.getByLabel(/tags-0/).fill('arm64');
  await page.getByLabel(/Runner description/).fill('physics/alignment on ARM');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 4: resources keep their defaults.
  await page
    .getByLabel(/Justification/)
    .fill('Build and test the alignment code natively on aarch64.');
  await page.getByRole('button', { name: 'Review' }).click();

  await expect(page.getByText('resource:default/pool-arm64').first()).toBeVisible();
  await expect(page.getByText('arm64', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('physics/alignment', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toBeEnabled();
  await saveScreenshot(page, 'runner-request-review');
});
