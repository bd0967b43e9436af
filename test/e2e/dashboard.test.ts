/**
 * The dashboard end to end, in a real Chromium: the example organisation scored on a PGlite
 * store, the API and the built dashboard served by `buildApp` on a local port, and a browser
 * that clicks from the overview to a team, a component, a failing check and the exemptions, and
 * an admin who signs in, grants an exemption on a scorecard and revokes it again.
 * Screenshots go to test-output/screenshots/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { generateToken } from '../../server/src/auth/index.js';
import { exampleFactFiles } from '../../server/src/cli/shared.js';
import { loadConfig } from '../../server/src/config.js';
import { Runtime } from '../../server/src/scoring/index.js';
import { notice, openTestStore, requireServices, type TestStore } from '../support/services.js';

const CHROMIUM = process.env.YARDSTICK_CHROMIUM ?? '/usr/bin/chromium';
const WEB_DIR = 'web/dist';
const SHOTS = 'test-output/screenshots';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (requireServices) throw new Error(`Chromium required (YARDSTICK_REQUIRE_SERVICES=1) but missing at ${CHROMIUM}`);
  notice('Chromium end-to-end', `no browser at ${CHROMIUM} (apt-get install chromium)`);
}

/** Build web/dist with Vite when it is missing (a fresh checkout). */
async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(join(WEB_DIR, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

/**
 * The server is meant to serve web/dist itself. When it cannot (a static-serving bug), the
 * browser is given the built files directly so the pages are still exercised against the real
 * API — and the suite says so loudly, it does not hide it.
 */
async function serveDashboardFromDiskIfServerCannot(context: BrowserContext, base: string): Promise<void> {
  const asset = (await readdir(join(WEB_DIR, 'assets'))).find((f) => f.endsWith('.js'));
  const probe = await fetch(`${base}/assets/${asset}`);
  if (probe.ok) return;
  process.stderr.write(`\n[yardstick tests] WARNING: the server did not serve the dashboard (GET /assets/${asset} → ${probe.status}); web/dist is handed to the browser from disk instead.\n`);
  await context.route(`${base}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api/')) return route.continue();
    const file = normalize(url.pathname).replace(/^(\.\.[/\\])+/, '');
    const path = extname(file) ? join(WEB_DIR, file) : join(WEB_DIR, 'index.html');
    if (!existsSync(path)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(path)] ?? 'application/octet-stream', body: await readFile(path) });
  });
}

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  let testStore: TestStore;
  let runtime: Runtime;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let profile: string;
  let base: string;
  let admin: string;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    testStore = (await openTestStore('pglite'))!;
    const config = loadConfig({}, { webDir: WEB_DIR, publicReads: true, logLevel: 'warn', rateLimitPerMinute: 100_000 });
    runtime = await Runtime.open(config, { store: testStore.store });
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
    await runtime.rescore();
    const { id, token, hash } = generateToken();
    await runtime.store.tokens.create({ id, name: 'e2e-admin', hash, scope: 'admin', repos: [] }, 'e2e');
    admin = token;
    app = await buildApp({ runtime });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    profile = await mkdtemp(join(tmpdir(), 'yardstick-chromium-'));
    // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    await mkdir(SHOTS, { recursive: true });
    await serveDashboardFromDiskIfServerCannot(browser, base);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await testStore?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    (page as Page & { problems?: string[] }).problems = problems;
    await page.goto(`${base}${path}`);
    return page;
  }

  const problemsOf = (page: Page) => (page as Page & { problems?: string[] }).problems ?? [];

  /** Every Recharts surface on the page drew at least one path. */
  async function expectChartsDrawn(page: Page, atLeast = 1): Promise<void> {
    await page.locator('.recharts-surface path').first().waitFor();
    const surfaces = await page.locator('svg.recharts-surface').count();
    expect(surfaces).toBeGreaterThanOrEqual(atLeast);
    expect(await page.locator('.recharts-surface path').count()).toBeGreaterThan(0);
  }

  it('overview → team → component → failing check, with charts drawn', async () => {
    const page = await open('/');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('heading', { name: 'Components per level' }).waitFor();
    await expectChartsDrawn(page);
    await expect(page.getByText('Bronze').first().isVisible()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'Most failing checks' }).waitFor();
    // Public reads, no token: the header says so.
    await page.getByRole('banner').getByText('public read-only').waitFor();
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });

    // Follow a team from the ranking.
    const teamLink = page.getByRole('region', { name: 'Teams by health' }).getByRole('link').first();
    const teamName = (await teamLink.textContent())!;
    await teamLink.click();
    await page.getByRole('heading', { level: 1, name: teamName }).waitFor();
    await page.getByRole('heading', { name: 'Components × tracks' }).waitFor();
    await page.locator('.grid-table .level-badge').first().waitFor();
    await expectChartsDrawn(page);
    // Each blocking check names the level that asks for it.
    expect(await page.locator('.fix__level').first().textContent()).toMatch(/^needed for .+ on .+/);
    await page.screenshot({ path: `${SHOTS}/team.png`, fullPage: true });

    // A component of that team: its scorecard with ladders, checks and remediation.
    await page.locator('.grid-table tbody th a').first().click();
    await page.getByRole('heading', { name: 'Levels' }).waitFor();
    await page.locator('.ladder').first().waitFor();
    expect(await page.locator('.ladder__status').allTextContents()).toContain('✓ Reached');
    // Without a token nothing that writes is offered.
    expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Grant exemption/ }).count()).toBe(0);
    await page.getByRole('heading', { name: 'Latest facts' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/component.png`, fullPage: true });

    // Back works: the team page returns.
    await page.goBack();
    await page.getByRole('heading', { name: 'Components × tracks' }).waitFor();
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it('a neglected component explains its failures and the check page lists who fails', async () => {
    const page = await open('/entities/component/default/legacy-dispatch?show=failing');
    await page.locator('.check-row').first().waitFor();
    const outcomes = await page.locator('.check-row .outcome').allTextContents();
    expect(outcomes.some((o) => /Fail|Unknown/.test(o))).toBe(true);
    expect(await page.locator('.remediation').count()).toBeGreaterThan(0);
    expect(await page.getByText('How to fix:').first().isVisible()).toBe(true);

    // Open the first failing check.
    await page.locator('.check-row--fail .check-row__name').first().click();
    await page.getByRole('heading', { name: 'Components not passing' }).waitFor();
    await page.getByRole('heading', { name: 'Rule' }).waitFor();
    expect(await page.locator('pre.code').first().textContent()).toContain('var');
    await page.locator('table').getByRole('link', { name: 'legacy-dispatch' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/check.png`, fullPage: true });
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it('shows an exemption created through the API, on the exemptions page and the scorecard', async () => {
    const expiresAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const res = await fetch(`${base}/api/v1/exemptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entityRef: 'component:default/legacy-dispatch', checkId: 'has-docs', reason: 'Being retired in Q1; no docs planned', expiresAt }),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);

    const page = await open('/exemptions?status=all');
    await page.getByText('Being retired in Q1; no docs planned').waitFor();
    await page.getByRole('link', { name: 'legacy-dispatch' }).click();
    await page.locator('.exemption-note').first().waitFor();
    expect(await page.locator('.exemption-note').first().textContent()).toContain('Being retired in Q1');
    await page.screenshot({ path: `${SHOTS}/exemptions.png`, fullPage: true });
    await page.close();
  });

  it('an admin signs in, grants an exemption on the scorecard, revokes it on the exemptions page and signs out', async () => {
    const page = await open('/entities/component/default/legacy-dispatch?show=failing');
    await page.locator('.check-row').first().waitFor();
    const banner = page.getByRole('banner');

    // Sign in through the header.
    await banner.getByRole('button', { name: 'Sign in with an API token' }).click();
    await banner.getByLabel('API token').fill(admin);
    await banner.getByRole('button', { name: 'Use token' }).click();
    await banner.getByText('Signed in as e2e-admin (admin)').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).waitFor();

    // A failing check: open its form; an empty form is refused with announced problems.
    const failing = page.locator('.check-row--fail').first();
    const checkName = (await failing.locator('.check-row__name').textContent())!;
    const checkId = decodeURIComponent((await failing.locator('.check-row__name').getAttribute('href'))!.split('/').pop()!);
    const row = page.locator('.check-row', { has: page.getByRole('link', { name: checkName, exact: true }) });
    await row.getByRole('button', { name: `Grant exemption from ${checkName}` }).click();
    const form = row.getByRole('form', { name: `Grant an exemption from ${checkName}` });
    await form.getByRole('button', { name: 'Grant exemption', exact: true }).click();
    expect(await form.getByRole('alert').allTextContents()).toEqual([
      '⚠ Give a reason: why this check does not apply yet.',
      '⚠ Choose the date the exemption ends.',
    ]);
    await row.screenshot({ path: `${SHOTS}/exemption-form.png` });

    // Fill it in: granted, the row turns exempt and says why.
    const reason = 'Replaced by dispatch-v2 next quarter (e2e)';
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Reason').fill(reason);
    await form.getByLabel('Expires on').fill(expires);
    await form.getByRole('button', { name: 'Grant exemption', exact: true }).click();
    await row.getByRole('status').getByText(`Exemption granted until ${expires}.`).waitFor();
    await page.locator('.check-row--exempt', { has: page.getByRole('link', { name: checkName, exact: true }) }).waitFor();
    expect(await row.locator('.exemption-note').textContent()).toContain(reason);
    await page.screenshot({ path: `${SHOTS}/exemption-granted.png`, fullPage: true });

    // The exemptions page lists it; revoke it (after confirming) and the list refetches without it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exemptions' }).click();
    const listed = page.locator('tbody tr', { hasText: reason });
    await listed.waitFor();
    await listed.getByRole('button', { name: `Revoke the exemption of legacy-dispatch from ${checkId}` }).click();
    const confirm = page.getByRole('group', { name: `Confirm revoking the exemption of legacy-dispatch from ${checkId}` });
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByRole('status').getByText(`Revoked the exemption of legacy-dispatch from ${checkId}.`).waitFor();
    await listed.waitFor({ state: 'detached' });
    await page.getByLabel('Show').selectOption('all');
    const revoked = page.locator('tbody tr', { hasText: reason });
    expect(await revoked.textContent()).toContain('revoked');
    expect(await revoked.textContent()).toContain('by e2e-admin');
    await page.screenshot({ path: `${SHOTS}/exemption-revoked.png`, fullPage: true });

    // The server agrees, and the scorecard fails the check again.
    const all = (await (await fetch(`${base}/api/v1/exemptions?status=all&entityRef=component:default/legacy-dispatch`)).json()) as { items: { checkId: string; reason: string; status: string; revokedBy: string | null }[] };
    expect(all.items.find((x) => x.reason === reason)).toMatchObject({ checkId, status: 'revoked', revokedBy: 'e2e-admin' });
    await revoked.getByRole('link', { name: 'legacy-dispatch' }).click();
    await page.locator('.check-row--fail', { has: page.getByRole('link', { name: checkName, exact: true }) }).waitFor();

    // Sign out: the token is forgotten and the write actions go away.
    await banner.getByRole('button', { name: 'Sign out' }).click();
    await banner.getByText('public read-only').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('yardstick.token'))).toBeNull();
    expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it('filters live in the URL and a failed call says what failed', async () => {
    const page = await open('/entities?track=basics&level=gold');
    await page.locator('table').waitFor();
    expect(await page.getByLabel('Track').inputValue()).toBe('basics');
    await page.getByLabel('Owner').selectOption({ index: 1 });
    await page.waitForURL(/owner=/);
    expect(page.url()).toContain('track=basics');

    await page.goto(`${base}/teams/no-such-team`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/GET \/teams\/no-such-team → HTTP 404/);
    await page.close();
  });
});
