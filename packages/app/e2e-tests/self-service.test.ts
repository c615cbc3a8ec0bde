import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { enterAsGuest, saveScreenshot } from './helpers';

const SIMULATOR_API = 'http://127.0.0.1:8930/api/v4';
// The simulator's fixed demo token from scripts/e2e.sh, which is no secret.
const SIMULATOR_HEADERS = { 'PRIVATE-TOKEN': 'glpat-simulator-admin-token' };
const INFRASTRUCTURE_PROJECT = 'platform/runner-infrastructure';

/** Opens the runner request template and fills every step up to the review. */
async function fillArmRunnerRequest(page: Page) {
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
}

/** Fetches a JSON resource from the simulator's REST API and fails unless the status is 200. */
async function getSimulatorJson(request: APIRequestContext, apiPath: string) {
  const response = await request.get(`${SIMULATOR_API}${apiPath}`, {
    headers: SIMULATOR_HEADERS,
  });
  expect(response.status(), `GET ${apiPath}`).toBe(200);
  return response.json();
}

/** Lists every file path of a branch, following the simulator's pagination. */
async function listBranchFiles(
  request: APIRequestContext,
  projectId: number,
  branch: string,
): Promise<string[]> {
  const paths: string[] = [];
  for (let page = 1; page <= 50; page++) {
    const entries: Array<{ type: string; path: string }> = await getSimulatorJson(
      request,
      `/projects/${projectId}/repository/tree?recursive=true&per_page=100&page=${page}` +
        `&ref=${encodeURIComponent(branch)}`,
    );
    if (entries.length === 0) {
      break;
    }
    paths.push(...entries.filter(entry => entry.type === 'blob').map(entry => entry.path));
  }
  return paths;
}

test('runner request reaches the review step', async ({ page }) => {
  await fillArmRunnerRequest(page);

  await expect(page.getByText('resource:default/pool-arm64').first()).toBeVisible();
  await expect(page.getByText('arm64', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('physics/alignment', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toBeEnabled();
  await saveScreenshot(page, 'runner-request-review');
});

test('runner request opens a merge request', async ({ page, request }) => {
  test.setTimeout(240_000);
  await fillArmRunnerRequest(page);
  await page.getByRole('button', { name: 'Create' }).click();

  // The template's output link appears only after every step has succeeded.
  const link = page.getByRole('link', {
    name: `Merge request in ${INFRASTRUCTURE_PROJECT}`,
  });
  await expect(link).toBeVisible({ timeout: 180_000 });
  const href = await link.getAttribute('href');
  expect(href).toBeTruthy();
  const match = /\/(.+)\/-\/merge_requests\/(\d+)$/.exec(new URL(href!).pathname);
  expect(match, `merge request link ${href}`).not.toBeNull();
  expect(match![1]).toBe(INFRASTRUCTURE_PROJECT);
  const iid = Number(match![2]);

  // The runner token goes to a CI/CD variable only, never onto the page.
  await expect(page.locator('body')).not.toContainText('glrt-');
  expect(await page.locator('body').innerText()).not.toContain('glrt-');
  await saveScreenshot(page, 'runner-request-done');

  const project = await getSimulatorJson(
    request,
    `/projects/${encodeURIComponent(INFRASTRUCTURE_PROJECT)}`,
  );
  const mergeRequest = await getSimulatorJson(
    request,
    `/projects/${project.id}/merge_requests/${iid}`,
  );
  expect(mergeRequest.iid).toBe(iid);
  expect(mergeRequest.state).toBe('opened');
  expect(mergeRequest.web_url).toBe(href);
  expect(mergeRequest.source_branch).toMatch(/^runner-request\//);
  expect(mergeRequest.target_branch).toBe(project.default_branch);

  // The source branch carries the values file that runner-fleet:config:render wrote.
  const branchFiles = await listBranchFiles(request, project.id, mergeRequest.source_branch);
  const valuesFiles = branchFiles.filter(filePath =>
    /^(runners|requests)\/[^/]*arm64[^/]*\/[^/]+\/values\.yaml$/.test(filePath),
  );
  expect(valuesFiles, `values files on ${mergeRequest.source_branch}`).toHaveLength(1);
  const raw = await request.get(
    `${SIMULATOR_API}/projects/${project.id}/repository/files/` +
      `${encodeURIComponent(valuesFiles[0])}/raw?ref=${encodeURIComponent(mergeRequest.source_branch)}`,
    { headers: SIMULATOR_HEADERS },
  );
  expect(raw.status()).toBe(200);
  const values = await raw.text();
  expect(values).toContain('arm64');
  expect(values).not.toContain('glrt-');
});
