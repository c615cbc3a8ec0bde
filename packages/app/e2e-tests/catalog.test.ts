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

test('catalog graph links project to pool', async ({ page }) => {
  await enterAsGuest(page);
  // The chain project -> fleet -> cluster -> pool, with the default fleet's
  // two clusters during its upgrade and the QA fleet lent to it.
  const relations = ['dependsOn', 'dependencyOf', 'lentTo', 'borrowsFrom']
    .map(r => `selectedRelations%5B%5D=${r}`)
    .join('&');
  await page.goto(
    `/catalog-graph?rootEntityRefs%5B%5D=component%3Adefault%2Fmc-production&maxDepth=4&unidirectional=false&mergeRelations=true&direction=LR&${relations}`,
  );
  const graph = page.locator('svg').filter({ hasText: 'Monte Carlo production' }).first();
  await expect(graph).toBeVisible({ timeout: 60_000 });
  await expect(graph.getByText('Kubernetes default fleet', { exact: true })).toBeVisible();
  await expect(graph.getByText('Default cluster v2', { exact: true })).toBeVisible();
  await expect(graph.getByText('Default cluster v3', { exact: true })).toBeVisible();
  await expect(graph.getByText('General x86 pool', { exact: true })).toBeVisible();
  await expect(graph.getByText('QA Kubernetes default fleet', { exact: true })).toBeVisible();
  await saveScreenshot(page, 'catalog-graph');
});
