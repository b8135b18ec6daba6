// The popup at its real size (400×600: what shows without scrolling) in Chromium and Firefox ESR,
// light and dark, for docs/screenshots/; axe-core is run on each and its findings printed. Not a
// test: run after ./build.sh with `node tests/e2e/screenshots.mjs` (exit 1 on an axe violation).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveFixtureSites, launch, startSandbox, connectSandbox, grantHttpsAccess } from './harness.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/pages');
const SHOTS = join(ROOT, 'docs/screenshots');
const AXE = readFileSync(join(ROOT, 'extension/node_modules/axe-core/axe.min.js'), 'utf8');
const addressOf = (site) => JSON.parse(readFileSync(join(FIXTURES, `${site}.json`), 'utf8')).url;
const DIST = { chromium: 'dist/dev/chrome', firefox: 'dist/dev/firefox' };

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });
mkdirSync(SHOTS, { recursive: true });
const sites = await serveFixtureSites(FIXTURES);
let violations = 0;

/** Opens the popup on a fixture page at 400×600; resolves once the person and the catalog show. */
async function open(session, site) {
  const { tabId } = await session.webPage(addressOf(site), { press: session.browserName === 'chromium' });
  const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
  await popup.setViewport({ width: 400, height: 600 });
  await popup.bringToFront();
  await popup.waitForFunction(() => ['sprout:form-ready', 'sprout:catalog'].every((m) => performance.getEntriesByName(m).length)
    && document.querySelector('[data-testid=first-name]').value !== '', { timeout: 60000 });
  return popup;
}

/** The duplicate check's answer on screen (found or not), so the shot shows it. */
const checked = (popup) => popup.waitForFunction(() => document.querySelector('[data-testid=duplicate]')
  || document.querySelector('[data-testid=duplicate-state]')?.dataset.state === 'none', { timeout: 30000 });

async function pickPool(popup, pool) {
  await popup.click('[data-testid=target-prospect]');
  await popup.type('[data-testid=pool-search]', pool.name);
  await popup.waitForSelector(`[data-testid=pool-option-${pool.id}]`, { timeout: 10000 });
  await popup.click(`[data-testid=pool-option-${pool.id}]`);
}

/** One shot of what shows without scrolling, and axe's findings on the same state. */
async function shoot(page, name) {
  if (!name.startsWith('options')) await page.evaluate(() => window.scrollTo(0, 0));
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
  const found = await page.evaluate(async () =>
    (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id} (${v.nodes.length}: ${v.nodes[0]?.target})`));
  violations += found.length;
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshots: ${file}; axe: ${found.length ? found.join(', ') : 'no violation'}`);
}

/** A session in one scheme (Chromium: all schemes, emulated per page); shoots each scheme given. */
async function run(browserName, schemes) {
  const session = await launch(browserName, join(ROOT, DIST[browserName]), {
    proxyPort: sites.port, ...(browserName === 'firefox' && { colorScheme: schemes[0] }),
  });
  let sandbox;
  try {
    const probe = await session.extensionPage('options.html');
    if (browserName === 'firefox') await grantHttpsAccess(probe);
    const redirect = await probe.evaluate(() => chrome.identity.getRedirectURL());
    if (browserName === 'chromium') await probe.close();
    sandbox = await startSandbox(['--redirect-uri', redirect, '--jobs', '200']);
    await connectSandbox(session, sandbox, { caption: 'Sandbox' });
    const auth = { authorization: `Basic ${Buffer.from('sandbox-partner-key:').toString('base64')}`, 'on-behalf-of': 'recruiter@sprout.test' };
    const [pool] = await fetch(`${sandbox.api}/prospect_pools`, { headers: auth }).then((r) => r.json());

    // One capture first, so the outbox has an item and the same person comes back as a duplicate.
    const first = await open(session, 'github/user');
    await checked(first);
    await pickPool(first, pool);
    await first.click('[data-testid=submit]');
    await first.waitForSelector('[data-testid^=outbox-item-][data-state=delivered]', { timeout: 60000 });
    if (browserName === 'chromium') await first.close();

    // The whole outbox, where the popup's "The whole outbox" link leads.
    if (browserName === 'chromium') {
      const options = await session.extensionPage('options.html#outbox');
      await options.setViewport({ width: 800, height: 600 });
      await options.waitForSelector('#outbox [data-testid^=outbox-item-]', { timeout: 15000 });
      await options.$eval('#outbox', (e) => e.scrollIntoView());
      await shoot(options, 'options-outbox-chromium-light');
      await options.close();
    }

    const fresh = await open(session, 'linkedin/public');
    await checked(fresh);
    const again = browserName === 'chromium' ? await open(session, 'github/user') : null;
    for (const scheme of schemes) {
      if (browserName === 'chromium') await fresh.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await fresh.bringToFront();
      await shoot(fresh, `popup-${browserName}-${scheme}`);
    }
    const duplicate = again ?? await open(session, 'github/user');
    await checked(duplicate);
    for (const scheme of schemes) {
      if (browserName === 'chromium') await duplicate.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await duplicate.bringToFront();
      await shoot(duplicate, `popup-duplicate-${browserName}-${scheme}`);
    }
  } finally {
    sandbox?.stop();
    await session.close();
  }
}

try {
  await run('chromium', ['light', 'dark']);
  await run('firefox', ['light']);
  await run('firefox', ['dark']);
} finally {
  await sites.close();
}
if (violations) {
  console.error(`screenshots: ${violations} axe violation(s)`);
  process.exitCode = 1;
}
