import { test, expect } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

test('fleet overview lists the fleets', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/runner-fleet');
  await expect(page.getByRole('heading', { name: 'Runner fleets' }).first()).toBeVisible();
  await expect(page.getByText('Kubernetes default fleet').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Kubernetes FPGA fleet').first()).toBeVisible();
  await saveScreenshot(page, 'fleet-overview');
});

test('default fleet shows the burst', async ({ page }) => {
  test.setTimeout(240_000);
  await enterAsGuest(page);
  await page.goto('/catalog/default/resource/fleet-k8s-default/load');
  await expect(page.getByText('Running jobs').first()).toBeVisible();

  // scripts/e2e.sh starts the simulator with a live burst from 0 to 100
  // running jobs within a minute; the backend backfills the last hours from
  // job start and finish times at 10-second resolution.
  const rise = page.getByText(/Fastest rise: \d+ jobs within a minute/);
  await expect(async () => {
    await page.reload();
    await expect(rise).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 200_000 });
  const text = (await rise.textContent()) ?? '';
  const added = Number(/Fastest rise: (\d+)/.exec(text)?.[1]);
  expect(added).toBeGreaterThanOrEqual(50);
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await saveScreenshot(page, 'fleet-load');
});
