// A page that blocks its main thread never runs the script the popup injects: the popup must stop
// waiting (about 5 s), open the form empty with a sentence saying why, and let the recruiter send a
// person typed by hand, in real Chromium and Firefox ESR against a real sprout-sandbox. The fixture
// page spins only when told and says when it has begun, so the test waits for states, not times.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, launch, withArtifacts, startSandbox, connectSandbox, optionsTab, sendToPool } from './harness.mjs';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '-p', 'sprout', '--bin', 'sprout-sandbox', '--bin', 'sprout-extract'], {
  cwd: ROOT, stdio: 'inherit',
});

const PAGE = readFileSync(join(ROOT, 'tests/e2e/pages/busy.html'));
/** How long the page spins once told: longer than any test step, so it is busy throughout. */
const SPIN_MS = 10 * 60 * 1000;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Serves the busy page and its two signals: /busy/go is answered when the test calls `go()` (with
 * how long to spin), and /busy/spinning, the page's last request before its loop, resolves `spinning`.
 */
async function serveBusyPage() {
  let release;
  const go = new Promise((ok) => { release = ok; });
  let spun;
  const spinning = new Promise((ok) => { spun = ok; });
  const server = createServer((req, res) => {
    if (req.url === '/busy.html') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    if (req.url === '/busy/go') return go.then(() => res.end(String(SPIN_MS)));
    if (req.url === '/busy/spinning') {
      res.end('ok');
      return spun();
    }
    return res.writeHead(404).end('not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/busy.html`,
    go: () => release(),
    spinning,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(ok);
    }),
  };
}

const partner = (sandbox, path) =>
  fetch(`${sandbox.api}/${path}`, {
    headers: { authorization: `Basic ${Buffer.from('sandbox-partner-key:').toString('base64')}`, 'on-behalf-of': 'recruiter@sprout.test' },
  }).then((r) => r.json());

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`a busy page in ${browserName}`, { timeout: 300_000 }, () => {
    let session;
    let sandbox;
    let options;
    let busy;

    before(async () => {
      busy = await serveBusyPage();
      session = await launch(browserName, join(ROOT, dist));
      options = await optionsTab(session);
      const redirect = await options.evaluate(() => chrome.identity.getRedirectURL());
      sandbox = await startSandbox(['--redirect-uri', redirect]);
      await connectSandbox(session, sandbox);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
      await busy?.close();
    });

    /**
     * Opens the popup on `tabId`. Firefox opens extension pages by moving the options tab, and the
     * harness then looks through every open page, which a busy one never answers: move the tab
     * found before the page went busy, and ask only it.
     */
    async function openPopup(tabId) {
      const path = `popup.html?tab=${tabId}`;
      if (browserName === 'chromium') return session.extensionPage(path);
      await options.evaluate((p) => location.assign(p), `/${path}`);
      for (let i = 0; i < 80; i++) {
        if ((await options.evaluate(() => location.href).catch(() => '')) === `${session.origin}/${path}`) break;
        await sleep(250);
      }
      await options.waitForFunction(() => globalThis.chrome?.runtime?.id && document.readyState === 'complete', { timeout: 20000 });
      return options;
    }

    it('opens the form empty with a sentence, and sends a person typed by hand', (t) =>
      withArtifacts(session, t.name, async () => {
        // In a window of its own: switching tabs in Firefox waits for each tab's page to answer,
        // and a busy one never does.
        const tabId = await options.evaluate(async (url) => (await chrome.windows.create({ url })).tabs[0].id, busy.url);
        assert.ok(Number.isInteger(tabId), 'the extension sees the busy tab');
        busy.go();
        await busy.spinning;

        const popup = await openPopup(tabId);
        // Far beyond the popup's own wait, for a loaded machine; the sentence is the state awaited.
        await popup.waitForSelector('[data-testid=page-busy]', { timeout: 60000 });
        assert.equal(
          await popup.$eval('[data-testid=page-busy]', (e) => e.textContent),
          'This page is too busy to be read: it did not answer within 5 seconds. You can still enter the person by hand, or close Sprout and open it again once the page has settled.',
        );
        await popup.waitForSelector('[data-testid=capture-form]');
        const value = (testid) => popup.$eval(`[data-testid=${testid}]`, (e) => e.value);
        assert.equal(await value('first-name'), '', 'nothing from the page is filled in');
        assert.equal(await value('title'), '');
        assert.equal(await value('last-name'), '');
        assert.equal(await popup.$('[data-testid=page-title]'), null, 'no page facts from a page never read');
        // Focus goes to the first empty field, and typing there works: the popup is not blocked.
        await popup.waitForFunction(() => document.activeElement?.dataset.testid === 'first-name', { timeout: 10000 });
        await popup.keyboard.type('Grace');
        await popup.type('[data-testid=last-name]', 'Typed');
        assert.equal(await value('first-name'), 'Grace');

        const shots = join(ARTIFACTS, `busy-page-${browserName}`);
        mkdirSync(shots, { recursive: true });
        // Chromium paints only the front tab; in Firefox the popup is already its window's tab.
        if (browserName === 'chromium') await popup.bringToFront();
        await popup.screenshot({ path: join(shots, 'busy.png'), fullPage: true });
        // The README's copies change only when asked for, so a test run leaves the tree clean.
        if (process.env.SPROUT_README_SHOTS === '1') copyFileSync(join(shots, 'busy.png'), join(ROOT, 'docs/screenshots', `${browserName}-busy-page.png`));

        const [pool] = await partner(sandbox, 'prospect_pools');
        await sendToPool(popup, pool);

        const stored = (await sandbox.admin('state')).candidates.map((c) => c.sent);
        assert.equal(stored.length, 1);
        assert.equal(stored[0].first_name, 'Grace');
        assert.equal(stored[0].last_name, 'Typed');
        assert.equal(stored[0].prospect_pool_id, pool.id);
        // The page's address comes from the browser, and with it the id a full read of it gives.
        assert.ok(stored[0].notes.startsWith(`Captured with Sprout `) && stored[0].notes.includes(` from ${busy.url} on `), stored[0].notes);
        const read = JSON.parse(execFileSync(join(ROOT, 'target/debug/sprout-extract'), ['--url', busy.url, join(ROOT, 'tests/e2e/pages/busy.html')]));
        assert.equal(read.candidate.first_name, 'Grace', 'a full read would have found the person');
        assert.equal(stored[0].external_id, read.candidate.external_id);
      }));
  });
}
