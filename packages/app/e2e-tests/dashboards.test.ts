import { test, expect } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

test('fleet overview lists the fleets', async ({ page }) => {
  test.setTimeout(180_000);
  await enterAsGuest(page);
  await page.goto('/runner-fleet');
  await expect(page.getByRole('heading', { name: 'Runner fleets' }).first()).toBeVisible();
  await expect(page.getByText('Kubernetes default fleet').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Kubernetes FPGA fleet').first()).toBeVisible();

  // Live runner counts (online / offline / stale) appear once discovery has
  // read the simulator's runners.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/^\d+ \/ \d+ \/ \d+$/).first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 150_000 });
  await saveScreenshot(page, 'fleet-overview');
});

test('default fleet shows the burst', async ({ page }) => {
  test.setTimeout(240_000);
  await enterAsGuest(page);
  await page.goto('/catalog/default/resource/fleet-k8s-default/load');
  await expect(page.getByText('Running jobs').first()).toBeVisible();

  // scripts/e2e.sh starts the simulator with a live burst from 0 to 100
  // running jobs within a minute, and app-config.e2e.yaml makes the backend
  // sample every 10 seconds, so the chart must show the whole rise.
  const rise = page.getByText(/Fastest rise: \d+ jobs within a minute/);
  await expect(async () => {
    await page.reload();
    const text = (await rise.textContent({ timeout: 10_000 })) ?? '';
    const added = Number(/Fastest rise: (\d+)/.exec(text)?.[1]);
    expect(added).toBeGreaterThanOrEqual(70);
  }).toPass({ timeout: 200_000 });
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await saveScreenshot(page, 'fleet-load');
});

test('cluster page shows its runners', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/catalog/default/resource/cluster-default-v3/gitlab-runners');
  await expect(page.getByText(/k8s-default @ cluster-default-v3/).first()).toBeVisible({ timeout: 60_000 });
  await saveScreenshot(page, 'cluster-runners');
});

test('hardware pool page shows capacity', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/catalog/default/resource/pool-fpga/capacity');
  await expect(page.getByText(/AMD Alveo U55C/).first()).toBeVisible({ timeout: 60_000 });
  await saveScreenshot(page, 'hardware-pool');
});
