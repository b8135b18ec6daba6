// `./build.sh demo`: the capture flow as a recruiter meets it, in Chromium with the built extension,
// against a local sprout-sandbox speaking Greenhouse's published dialect: sign in, capture one person as a prospect and one as a candidate
// on a job, meet the duplicate warning, then print what the sandbox stored. A screenshot of each
// popup state goes to dist/demo/. Headless unless a display is available.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveFixtureSites, launch, startSandbox, connectSandbox, fill, openSection } from './harness.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/pages');
const SHOTS = join(ROOT, 'dist/demo');
const say = (line) => console.log(`demo: ${line}`);
const addressOf = (site) => JSON.parse(readFileSync(join(FIXTURES, `${site}.json`), 'utf8')).url;

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });
mkdirSync(SHOTS, { recursive: true });
// The fixture pages are served at their real https addresses by a local proxy, so the site
// adapters (GitHub, LinkedIn, ...) see the hosts they know; nothing leaves the machine.
const sites = await serveFixtureSites(FIXTURES);
const session = await launch('chromium', join(ROOT, 'dist/dev/chrome'), { proxyPort: sites.port });
let sandbox;
let shotCount = 0;
async function shot(popup, state) {
  await popup.bringToFront();
  const file = join(SHOTS, `${String(++shotCount).padStart(2, '0')}-${state}.png`);
  await popup.screenshot({ path: file, fullPage: true });
  say(`screenshot ${file}`);
}

/** Opens the page as a recruiter would (toolbar button), then the popup on its tab. */
async function open(site) {
  const url = addressOf(site);
  const { page, tabId } = await session.webPage(url, { press: true });
  say(`profile page ${url} (served from tests/fixtures/pages/${site}.html)`);
  const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
  await popup.setViewport({ width: 400, height: 600 });
  await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
  await popup.waitForFunction(() => performance.getEntriesByName('sprout:form-ready').length > 0, { timeout: 60000 });
  await popup.waitForFunction(() => document.querySelector('[data-testid=first-name]').value !== '', { timeout: 15000 });
  await popup.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 60000 });
  const name = await popup.$eval('[data-testid=first-name]', (e) => e.value);
  const last = await popup.$eval('[data-testid=last-name]', (e) => e.value);
  say(`the popup read ${name} ${last}`);
  return { page, popup };
}

async function pick(popup, kind, option, query) {
  await popup.click(`[data-testid=target-${kind === 'pool' ? 'prospect' : 'job'}]`);
  await popup.waitForSelector(`[data-testid=${kind}-search]`);
  await popup.click(`[data-testid=${kind}-search]`, { clickCount: 3 });
  await popup.type(`[data-testid=${kind}-search]`, query);
  await popup.waitForSelector(`[data-testid=${kind}-option-${option.id}]`, { timeout: 10000 });
  await popup.click(`[data-testid=${kind}-option-${option.id}]`);
  await popup.waitForFunction((k, n) => document.querySelector(`[data-testid=${k}-chosen]`)?.textContent.includes(n), {}, kind, option.name);
}

/** Submits and waits until the new outbox item is delivered; resolves to what the item shows. */
async function submit(popup) {
  const ids = () => popup.$$eval('[data-testid^=outbox-item-]', (items) => items.map((e) => e.dataset.testid));
  const before = await ids();
  await popup.click('[data-testid=submit]');
  await popup.waitForFunction((n) => document.querySelectorAll('[data-testid^=outbox-item-]').length > n, { timeout: 15000 }, before.length);
  const item = (await ids()).find((id) => !before.includes(id));
  await shot(popup, 'queued');
  await popup.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`)?.dataset.state === 'delivered', { timeout: 60000 }, item);
  return popup.$eval(`[data-testid=${item}]`, (e) => e.innerText.trim().replace(/\n\s*\n/g, '\n'));
}

try {
  const options = await session.extensionPage('options.html');
  const redirect = await options.evaluate(() => chrome.identity.getRedirectURL());
  sandbox = await startSandbox(['--redirect-uri', redirect]);
  say(`sprout-sandbox at ${sandbox.api}`);
  await connectSandbox(session, sandbox, { caption: 'Sandbox' });
  say('signed in as recruiter@sprout.test through the sandbox consent page (OAuth code + PKCE)');
  await shot(options, 'settings-signed-in');

  const auth = { authorization: `Basic ${Buffer.from('sandbox-partner-key:').toString('base64')}`, 'on-behalf-of': 'recruiter@sprout.test' };
  const [jobs, pools] = await Promise.all(['jobs', 'prospect_pools'].map((p) => fetch(`${sandbox.api}/${p}`, { headers: auth }).then((r) => r.json())));

  // 1. A prospect: the GitHub profile into the first pool's first stage.
  const first = await open('github/user');
  await shot(first.popup, 'form');
  const pool = pools[0];
  await pick(first.popup, 'pool', pool, pool.name);
  await shot(first.popup, 'prospect-chosen');
  say(`delivered:\n${(await submit(first.popup)).replace(/^/gm, '    ')}`);
  await shot(first.popup, 'prospect-delivered');

  // 2. A candidate: the LinkedIn profile onto a job.
  const second = await open('linkedin/public');
  const job = jobs[0];
  // Greenhouse gives no requisition ids: its job id tells same-named jobs apart.
  await pick(second.popup, 'job', job, job.requisition_id ?? String(job.id));
  // Greenhouse keeps a note with the person: the audit line, then what the recruiter types.
  await openSection(second.popup, 'extras-section');
  await fill(second.popup, '[data-testid=note]', 'Spoke at the Berlin meetup; open to relocation.');
  await shot(second.popup, 'job-chosen');
  say(`delivered:\n${(await submit(second.popup)).replace(/^/gm, '    ')}`);
  await shot(second.popup, 'candidate-delivered');

  // 3. The same GitHub person again: Sprout says who is already in Greenhouse, and waits.
  const again = await open('github/user');
  await again.popup.waitForSelector('[data-testid=duplicate]', { timeout: 15000 });
  say(`duplicate warning: ${await again.popup.$eval('[data-testid=duplicate]', (e) => e.innerText.replace(/\s+/g, ' ').trim())}`);
  await shot(again.popup, 'duplicate-warning');
  await again.popup.click('[data-testid=confirm-duplicate]');
  await fill(again.popup, '[data-testid=first-name]', '');
  await again.popup.click('[data-testid=submit]');
  await again.popup.waitForSelector('[data-testid=error-first-name]', { timeout: 5000 }).catch(() => {});
  await shot(again.popup, 'field-error');

  const { candidates } = await sandbox.admin('state');
  say(`the sandbox (${sandbox.dialect} dialect) stored ${candidates.length} record(s), each as the extension sent it (GET /_sandbox/state):`);
  for (const c of candidates) console.log(`${c.id} by ${c.created_by}: ${JSON.stringify(c.sent, null, 2)}`);
} finally {
  sandbox?.stop();
  await session.close();
  await sites.close();
}
