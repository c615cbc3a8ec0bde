import { test, expect } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

test('blocked project shows finding and line', async ({ page }) => {
  test.setTimeout(240_000);
  await enterAsGuest(page);
  // physics/dd4hep carries DD4hep's real CI configuration, whose jobs still
  // use the docker tag with CentOS 7 images.
  await page.goto('/catalog/default/component/dd4hep/kubernetes-migration');

  const blocker = page.getByText(/blocker/i).first();
  await expect(async () => {
    await page.reload();
    await expect(blocker).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 200_000 });

  // Every finding names the file and line that causes it.
  await expect(page.getByText(/\.gitlab-ci\.yml:\d+/).first()).toBeVisible();
  await saveScreenshot(page, 'scorecard-findings');
});

test('organisation page shows progress', async ({ page }) => {
  await enterAsGuest(page);
  await page.goto('/runner-fleet/migration');
  await expect(page.getByText(/decommission/i).first()).toBeVisible({ timeout: 60_000 });
  await saveScreenshot(page, 'migration-overview');
});
