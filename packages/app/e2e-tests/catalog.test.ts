import { test, expect } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

test('portal opens the catalog', async ({ page }) => {
  await enterAsGuest(page);
  await expect(page.getByText('Monte Carlo production')).toBeVisible();
});

test('FPGA fleet page shows tags and capacity', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/catalog/default/resource/fleet-k8s-fpga');
  await expect(page.getByRole('heading', { name: 'Kubernetes FPGA fleet' }).first()).toBeVisible();

  const card = page.locator('article, div').filter({ hasText: 'Runner fleet' }).filter({ hasText: 'Runner tags' }).last();
  await expect(card.getByText('fpga', { exact: true }).first()).toBeVisible();
  await expect(card.getByText('8 jobs at once')).toBeVisible();
  await expect(card.getByText(/AMD Alveo U55C/)).toBeVisible();
  await saveScreenshot(page, 'fpga-fleet');
});
