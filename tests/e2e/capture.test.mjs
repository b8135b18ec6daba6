// The capture flow end to end (issue 6): the built extension in real Chromium and Firefox ESR
// reads a fixture profile page, the recruiter picks a target in the popup, and the background
// delivers it to a real sprout-sandbox on 127.0.0.1. What the sandbox stored is compared with a
// body computed here from the fixture (sprout-extract on the same page and URL) plus the target
// chosen, never with what the extension says it sent. Also: duplicates, faults on the create,
// a rejected body, a Basic-role user, 10,000 jobs, accessibility, keyboard, a stopped worker.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, ARTIFACTS, serveFolder, serveFixtureSites, launch, withArtifacts, startSandbox, connectSandbox, fill, grantHttpsAccess,
} from './harness.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/pages');
const API_KEY = 'sandbox-partner-key';
const ADMIN = 'recruiter@sprout.test';
const BASIC = 'basic@sprout.test';
const JOBS = 10_000;
const AXE = readFileSync(join(ROOT, 'extension/node_modules/axe-core/axe.min.js'), 'utf8');
/** One page per fixture site, each with a person in it. */
const SITES = [
  'behance/profile', 'bluesky/profile', 'dribbble/profile', 'generic/personal_site', 'github/user',
  'linkedin/public', 'mastodon/profile', 'stackoverflow/user', 'wellfound/profile', 'x/profile',
  'xing/profile', 'tricky/non_english',
];

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '-p', 'sprout', '--bin', 'sprout-sandbox', '--bin', 'sprout-extract'], {
  cwd: ROOT, stdio: 'inherit',
});
const loopback = await serveFolder(FIXTURES);
const proxy = await serveFixtureSites(FIXTURES);
after(async () => {
  await loopback.close();
  await proxy.close();
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** The person sprout-extract finds in a fixture file when the browser shows it at `url`. */
function extracted(site, url) {
  const out = execFileSync(join(ROOT, 'target/debug/sprout-extract'), ['--url', url, join(FIXTURES, `${site}.html`)]);
  return JSON.parse(out).candidate;
}

/** The contract body for the person at a target, built here from the contract, not by the extension. */
function expectedBody(person, target) {
  const body = structuredClone(person);
  delete body.id;
  if (target.job) body.application = { job_id: target.job.id };
  else body.prospect = { prospect_pool_id: target.pool.id, prospect_stage_id: target.stage.id };
  return body;
}

/** The Partner API as the sandbox's admin user sees it, for choosing targets independently of the popup. */
const partner = (sandbox, path) =>
  fetch(`${sandbox.api}/${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'on-behalf-of': ADMIN },
  }).then((r) => r.json());

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`capture in ${browserName}`, { timeout: 900_000 }, () => {
    // Both browsers load the fixture sites at their real https addresses through the fixture proxy.
    // Chromium reaches them with activeTab (the toolbar button pressed through CDP); Firefox cannot
    // press the button from a test, so there the optional https host access is granted instead.
    // SPROUT_E2E_LOOPBACK=1 reads the same files from 127.0.0.1 instead (generic extractors only).
    const realSites = process.env.SPROUT_E2E_LOOPBACK !== '1';
    const shots = join(ARTIFACTS, `capture-${browserName}`);
    let session;
    let sandbox;
    let adminConnection;
    let basicConnection;
    let jobs;
    let pools;

    before(async () => {
      mkdirSync(shots, { recursive: true });
      mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
      session = await launch(browserName, join(ROOT, dist), realSites ? { proxyPort: proxy.port } : {});
      const probe = await session.extensionPage('options.html');
      if (realSites && browserName === 'firefox') await grantHttpsAccess(probe);
      const redirect = await probe.evaluate(() => chrome.identity.getRedirectURL());
      if (browserName === 'chromium') await probe.close();
      sandbox = await startSandbox(['--redirect-uri', redirect, '--jobs', String(JOBS)]);
      adminConnection = await connectSandbox(session, sandbox, { caption: 'Sandbox' });
      basicConnection = await connectSandbox(session, sandbox, { caption: 'Basic user', user: BASIC });
      jobs = await partner(sandbox, 'jobs');
      pools = await partner(sandbox, 'prospect_pools');
      assert.equal(jobs.length, JOBS);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    /**
     * Where the browser loads a fixture: its real address through the fixture proxy, except a
     * plain-http one in Firefox, where the test can only grant the optional https access (it
     * cannot press the toolbar button for activeTab): that one comes from 127.0.0.1, which the
     * dev build may read.
     */
    const addressOf = (site) => {
      const real = JSON.parse(readFileSync(join(FIXTURES, `${site}.json`), 'utf8')).url;
      const viaProxy = realSites && (browserName === 'chromium' || real.startsWith('https:'));
      return viaProxy ? real : loopback.url(`${site}.html`);
    };
    const stored = async () => (await sandbox.admin('state')).candidates;
    const storedWith = async (externalId) => (await stored()).filter((c) => c.sent.external_id === externalId);
    const text = (page, testid) => page.$eval(`[data-testid=${testid}]`, (e) => e.textContent.trim()).catch(() => null);

    /** Keeps a screenshot of the popup in a named state (light unless said), and a copy for the README. */
    async function shot(popup, state, { readme = false } = {}) {
      await popup.bringToFront();
      const file = join(shots, `${state}.png`);
      await popup.screenshot({ path: file, fullPage: true });
      // The README's copies change only when asked for, so a test run leaves the tree clean.
      if (readme && process.env.SPROUT_README_SHOTS === '1') copyFileSync(file, join(ROOT, 'docs/screenshots', `${browserName}-${state}.png`));
    }

    /** Opens the fixture page and the popup on it; resolves once the form shows with the catalog. */
    async function openPopup(site, { connection = adminConnection } = {}) {
      const { page, tabId } = await session.webPage(addressOf(site), { press: realSites && browserName === 'chromium' });
      assert.ok(Number.isInteger(tabId), `the extension sees the tab of ${site}`);
      const seen = page.url();
      const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
      await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
      const active = await popup.$eval('[data-testid=active-connection]', (e) => e.value);
      if (active !== connection) {
        await fill(popup, '[data-testid=active-connection]', connection);
        await popup.waitForFunction(
          async (id) => (await chrome.storage.local.get('active_connection')).active_connection === id, { timeout: 10000 }, connection);
      }
      await popup.waitForFunction(() => performance.getEntriesByName('sprout:form-ready').length > 0, { timeout: 60000 });
      await popup.waitForFunction(() => document.querySelector('[data-testid=first-name]').value !== '', { timeout: 15000 });
      return { page, popup, seen };
    }

    async function choosePool(popup, pool, stage) {
      await popup.click('[data-testid=target-prospect]');
      await popup.waitForSelector('[data-testid=pool-search]');
      await popup.click('[data-testid=pool-search]', { clickCount: 3 });
      await popup.type('[data-testid=pool-search]', pool.name);
      await popup.waitForSelector(`[data-testid=pool-option-${pool.id}]`, { timeout: 10000 });
      await popup.click(`[data-testid=pool-option-${pool.id}]`);
      await popup.waitForFunction((n) => document.querySelector('[data-testid=pool-chosen]')?.textContent.includes(n), {}, pool.name);
      await fill(popup, '[data-testid=stage]', String(stage.id));
    }

    /** A job with a requisition id no other job shares (names repeat among 10,000), so typing it finds that one. */
    const uniqueJob = (i) => jobs.filter((j) => j.requisition_id && jobs.filter((k) => k.requisition_id === j.requisition_id).length === 1)[i * 7];

    async function chooseJob(popup, job) {
      await popup.click('[data-testid=target-job]');
      await popup.waitForSelector('[data-testid=job-search]');
      await popup.click('[data-testid=job-search]', { clickCount: 3 });
      await popup.type('[data-testid=job-search]', job.requisition_id);
      await popup.waitForSelector(`[data-testid=job-option-${job.id}]`, { timeout: 10000 });
      await popup.click(`[data-testid=job-option-${job.id}]`);
      await popup.waitForFunction((n) => document.querySelector('[data-testid=job-chosen]')?.textContent.includes(n), {}, job.name);
    }

    const outboxIds = (popup) =>
      popup.$$eval('[data-testid^=outbox-item-]', (items) => items.map((e) => e.dataset.testid.slice('outbox-item-'.length)));

    /** Submits (by click, or Enter in the first-name field) and waits for the new outbox item to reach `state`. */
    async function submit(popup, { by = 'click', state = 'delivered', timeout = 45000 } = {}) {
      const before = new Set(await outboxIds(popup));
      if (by === 'enter') {
        await popup.focus('[data-testid=first-name]');
        await popup.keyboard.press('Enter');
      } else {
        await popup.click('[data-testid=submit]');
      }
      let id;
      for (let i = 0; i < 100 && !id; i++) {
        id = (await outboxIds(popup)).find((x) => !before.has(x));
        if (!id) await sleep(100);
      }
      assert.ok(id, `a new outbox item appeared; form error: ${await text(popup, 'form-error')}`);
      await waitState(popup, id, state, timeout);
      return id;
    }

    const itemState = (popup, id) => popup.$eval(`[data-testid=outbox-item-${id}]`, (e) => e.dataset.state).catch(() => null);
    async function waitState(popup, id, state, timeout = 45000) {
      await popup
        .waitForFunction((i, s) => document.querySelector(`[data-testid=outbox-item-${i}]`)?.dataset.state === s, { timeout }, id, state)
        .catch(async () => assert.fail(`outbox item ${id} is ${await itemState(popup, id)}, expected ${state}`));
    }

    const closeAll = async ({ page, popup }) => {
      await page.close();
      if (browserName === 'chromium') await popup.close();
    };

    /** axe-core on the popup as it is now, light and dark; asserts no violation (and names them). */
    async function accessible(popup, state) {
      if (!(await popup.evaluate(() => typeof globalThis.axe === 'object'))) await popup.evaluate(AXE);
      // Puppeteer emulates the colour scheme through CDP only: Firefox is checked in light.
      for (const scheme of browserName === 'chromium' ? ['light', 'dark'] : ['light']) {
        if (browserName === 'chromium') await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        const violations = await popup.evaluate(async () =>
          (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id} (${v.nodes.length}: ${v.nodes[0]?.target})`));
        await shot(popup, `${state}-${scheme}`);
        assert.deepEqual(violations, [], `axe violations in ${state}, ${scheme}: ${violations.join(', ')}`);
      }
      if (browserName === 'chromium') await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    }

    const capturedIds = new Map(); // site -> candidate id of its first capture

    it('captures each fixture site to a prospect pool and stage, and one to a job, exactly as extracted', (t) =>
      withArtifacts(session, t.name, async () => {
        for (const [i, site] of SITES.entries()) {
          const opened = await openPopup(site);
          const { popup, seen } = opened;
          const person = extracted(site, seen);
          assert.equal(await popup.$eval('[data-testid=first-name]', (e) => e.value), person.first_name, `${site}: first name shown`);
          const toJob = site === 'github/user';
          const target = toJob ? { job: uniqueJob(0) } : { pool: pools[i % pools.length] };
          if (toJob) await chooseJob(popup, target.job);
          else {
            const byPriority = [...target.pool.stages].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
            target.stage = byPriority[Math.min(1, byPriority.length - 1)];
            await choosePool(popup, target.pool, target.stage);
          }
          if (i === 0) {
            await shot(popup, 'form', { readme: true });
            await accessible(popup, 'form');
          }
          // Enter in a text field submits the form, as the contract says; the rest click.
          const id = await submit(popup, { by: i === 1 ? 'enter' : 'click' });
          if (i === 0) {
            await shot(popup, 'delivered', { readme: true });
            await accessible(popup, 'delivered');
          }
          const records = await storedWith(person.external_id);
          assert.equal(records.length, 1, `${site}: one record`);
          assert.deepEqual(records[0].sent, expectedBody(person, target), `${site}: the stored body`);
          assert.equal(records[0].created_by, ADMIN);
          const link = await popup.$eval(`[data-testid=outbox-link-${id}]`, (e) => e.href);
          assert.equal(link, `${sandbox.origin}/people/${records[0].id}`);
          capturedIds.set(site, records[0].id);
          await closeAll(opened);
        }
        const page = await (await fetch(`${sandbox.origin}/people/${capturedIds.get('github/user')}`)).text();
        assert.match(page, /<h1 id=name>[^<]+<\/h1>/);
      }));

    it('warns of a duplicate with a link, and creates one more only when confirmed', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'mastodon/profile';
        const opened = await openPopup(site);
        const { popup, seen } = opened;
        const person = extracted(site, seen);
        const first = capturedIds.get(site);
        assert.ok(first, 'the first capture of this person landed in the previous test');
        await popup.waitForSelector(`[data-testid=duplicate-record-${first}]`, { timeout: 15000 });
        assert.equal(await popup.$eval(`[data-testid=duplicate-link-${first}]`, (e) => e.href), `${sandbox.origin}/people/${first}`);
        await choosePool(popup, pools[0], pools[0].stages[0]);
        assert.equal(await popup.$eval('[data-testid=submit]', (e) => e.disabled), true, 'submit waits for the confirmation');
        await shot(popup, 'duplicate', { readme: true });
        await accessible(popup, 'duplicate');
        await popup.click('[data-testid=confirm-duplicate]');
        await submit(popup);
        assert.equal((await storedWith(person.external_id)).length, 2);
        await closeAll(opened);
      }));

    for (const [name, fault] of [
      ['a 500', { type: 'status', status: 500 }],
      ['a 429 with Retry-After 1', { type: 'rate_limit', retry_after: 1 }],
      ['an answer cut off after the create committed', { type: 'cut_after_commit' }],
    ]) {
      it(`delivers exactly once through ${name}`, (t) =>
        withArtifacts(session, t.name, async () => {
          const site = 'dribbble/profile';
          const opened = await openPopup(site);
          const person = extracted(site, opened.seen);
          const before = (await storedWith(person.external_id)).length;
          await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault });
          await choosePool(opened.popup, pools[1], pools[1].stages[0]);
          if (await opened.popup.$('[data-testid=confirm-duplicate]')) await opened.popup.click('[data-testid=confirm-duplicate]');
          await submit(opened.popup, { timeout: 60000 });
          const { faults, requests } = await sandbox.admin('state');
          assert.equal(faults.length, 0, 'the fault was used');
          assert.ok(requests.some((r) => r.fault && r.path === '/v1/partner/candidates'));
          assert.equal((await storedWith(person.external_id)).length, before + 1, 'exactly one more record');
          await closeAll(opened);
        }));
    }

    // A connection closed after the commit and before any byte of the answer: on a reused
    // keep-alive connection the browser itself sends the POST again (fetch never fails), which no
    // extension can prevent. Sprout must then say so on the delivered item, naming the extra record.
    it('reports a create the browser itself resent after a silent drop', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'dribbble/profile';
        const opened = await openPopup(site);
        const person = extracted(site, opened.seen);
        const before = (await storedWith(person.external_id)).map((c) => c.id);
        await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault: { type: 'drop_after_commit' } });
        await choosePool(opened.popup, pools[1], pools[1].stages[0]);
        if (await opened.popup.$('[data-testid=confirm-duplicate]')) await opened.popup.click('[data-testid=confirm-duplicate]');
        const id = await submit(opened.popup, { timeout: 60000 });
        const added = (await storedWith(person.external_id)).map((c) => c.id).filter((x) => !before.includes(x));
        assert.ok(added.length === 1 || added.length === 2, `one or two new records, got ${added.length}`);
        const warning = await text(opened.popup, `outbox-twice-${id}`);
        if (added.length === 2) {
          const shown = await opened.popup.$eval(`[data-testid=outbox-link-${id}]`, (a) => Number(a.href.split('/').pop()));
          const other = added.find((x) => x !== shown);
          assert.ok(warning?.includes(String(other)), `the delivered item names the extra record ${other}: ${warning}`);
          console.log(`[${browserName}] the browser resent the POST after a silent drop; the item says: ${warning}`);
        } else {
          assert.equal(warning, null, 'no warning when Greenhouse holds one new record');
        }
        await closeAll(opened);
      }));

    it('shows a rejected capture as failed, retries it edited, and discards another', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'bluesky/profile';
        const opened = await openPopup(site);
        const { popup } = opened;
        const person = extracted(site, opened.seen);
        const before = (await storedWith(person.external_id)).length;
        // Passes the popup's own check (something@domain.tld) but not the sandbox's: 422.
        await popup.click('[data-testid=add-email]');
        await popup.waitForSelector('[data-testid=email-0]');
        await fill(popup, '[data-testid=email-0]', 'tane@example..com');
        await choosePool(popup, pools[0], pools[0].stages[0]);
        if (await popup.$('[data-testid=confirm-duplicate]')) await popup.click('[data-testid=confirm-duplicate]');
        const id = await submit(popup, { state: 'failed' });
        const message = await text(popup, `outbox-item-${id}`);
        assert.match(message, /not a valid email address/);
        await shot(popup, 'failed', { readme: true });
        await accessible(popup, 'failed');
        await popup.click(`[data-testid=edit-${id}]`);
        await popup.waitForFunction(() => document.querySelector('[data-testid=email-0]')?.value === 'tane@example..com');
        await fill(popup, '[data-testid=email-0]', 'tane@example.com');
        await popup.click('[data-testid=submit]');
        await waitState(popup, id, 'delivered');
        const records = await storedWith(person.external_id);
        assert.equal(records.length, before + 1, 'the retry landed once');
        assert.deepEqual(records.at(-1).sent.emails.map((e) => e.value), ['tane@example.com']);
        const { emails: _, ...rest } = records.at(-1).sent;
        const { emails: __, ...expected } = expectedBody(person, { pool: pools[0], stage: pools[0].stages[0] });
        assert.deepEqual(rest, expected);
        // A second failure, discarded: the item goes and nothing is stored.
        await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault: { type: 'status', status: 422 } });
        if (await popup.$('[data-testid=confirm-duplicate]')) {
          await popup.$eval('[data-testid=confirm-duplicate]', (e) => e.checked || e.click());
        }
        const failed = await submit(popup, { state: 'failed' });
        await popup.click(`[data-testid=discard-${failed}]`);
        await popup.waitForFunction((i) => !document.querySelector(`[data-testid=outbox-item-${i}]`), { timeout: 10000 }, failed);
        assert.equal((await storedWith(person.external_id)).length, before + 1);
        await closeAll(opened);
      }));

    it('lets a Basic-role user capture, says only local captures were checked, and explains the tracking link', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'wellfound/profile';
        const opened = await openPopup(site, { connection: basicConnection });
        const { popup } = opened;
        const person = extracted(site, opened.seen);
        await popup.waitForSelector('[data-testid=duplicate-note]', { timeout: 15000 });
        assert.match(await text(popup, 'duplicate-note'), /local|this browser/i);
        const job = uniqueJob(1);
        await chooseJob(popup, job);
        if (await popup.$('[data-testid=tracking-link]')) await popup.click('[data-testid=tracking-link]');
        await popup.waitForSelector('[data-testid=tracking-link-unavailable]', { timeout: 15000 });
        assert.equal(await popup.$('[data-testid=tracking-link-url]'), null);
        await shot(popup, 'basic-role', { readme: true });
        if (await popup.$('[data-testid=confirm-duplicate]')) await popup.click('[data-testid=confirm-duplicate]');
        await submit(popup);
        const mine = (await storedWith(person.external_id)).filter((c) => c.created_by === BASIC);
        assert.equal(mine.length, 1);
        assert.deepEqual(mine[0].sent, expectedBody(person, { job }));
        await closeAll(opened);
        // The admin user gets a tracking link from the sandbox.
        const admin = await openPopup(site);
        await chooseJob(admin.popup, job);
        await admin.popup.click('[data-testid=tracking-link]');
        await admin.popup.waitForSelector('[data-testid=tracking-link-url]', { timeout: 15000 });
        const url = await text(admin.popup, 'tracking-link-url');
        assert.match(url, new RegExp(`^${sandbox.origin}/t/[\\w-]+$`));
        const { tracking_links } = await sandbox.admin('state');
        assert.ok(tracking_links.some((l) => l.url === url && l.created_by === ADMIN && l.sent.job_id === job.id));
        await closeAll(admin);
      }));

    it(`opens quickly with ${JOBS} jobs and filters as one types (timings printed, not asserted)`, (t) =>
      withArtifacts(session, t.name, async () => {
        const ready = [];
        const filters = [];
        for (const query of ['eng', 'sen', 'man', 'des']) {
          const opened = await openPopup('github/user');
          const { popup } = opened;
          ready.push(await popup.evaluate(() => performance.getEntriesByName('sprout:form-ready')[0].startTime));
          await popup.click('[data-testid=target-job]');
          await popup.waitForSelector('[data-testid=job-search]');
          await popup.evaluate(() => performance.clearMeasures('sprout:filter'));
          await popup.type('[data-testid=job-search]', query, { delay: 120 });
          await sleep(300);
          const measures = await popup.evaluate(() => performance.getEntriesByName('sprout:filter').map((e) => e.duration));
          assert.ok(measures.length >= 1, 'the popup measures its filtering');
          filters.push(...measures);
          await closeAll(opened);
        }
        console.log(`[timings ${browserName}, ${JOBS} jobs] navigation→sprout:form-ready median ${median(ready).toFixed(1)} ms (n=${ready.length}); sprout:filter median ${median(filters).toFixed(1)} ms (n=${filters.length})`);
      }));

    it('declares Alt+Shift+S and closes the popup page on Esc', (t) =>
      withArtifacts(session, t.name, async () => {
        const manifest = JSON.parse(readFileSync(join(ROOT, dist, 'manifest.json'), 'utf8'));
        assert.equal(manifest.commands?._execute_action?.suggested_key?.default, 'Alt+Shift+S');
        if (browserName === 'firefox') {
          // Firefox lets a script close only a tab a script opened; the test's popup is a tab the
          // extension opened on install, so Esc there is checked in Chromium only.
          t.diagnostic('Esc not checked in Firefox: window.close() is refused for this tab');
          return;
        }
        const opened = await openPopup('x/profile');
        const closed = new Promise((ok) => opened.popup.once('close', ok));
        const href = await opened.popup.evaluate(() => location.href);
        await opened.popup.focus('[data-testid=first-name]');
        // The page may close while the key is still being delivered.
        await opened.popup.keyboard.press('Escape').catch((e) => assert.match(e.message, /closed/));
        const gone = await Promise.race([closed.then(() => true), sleep(5000).then(() => false)]);
        if (!gone) {
          const still = await Promise.all((await session.browser.pages()).map((p) => p.evaluate(() => location.href).catch(() => '')));
          assert.ok(!still.includes(href), 'the popup page closed on Esc');
        }
        await opened.page.close();
      }));

    if (browserName === 'chromium') {
      it('delivers exactly once when the service worker is stopped mid-delivery', (t) =>
        withArtifacts(session, t.name, async () => {
          const site = 'stackoverflow/user';
          const opened = await openPopup(site);
          const person = extracted(site, opened.seen);
          const before = (await storedWith(person.external_id)).length;
          await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault: { type: 'delay', ms: 4000 } });
          await choosePool(opened.popup, pools[2 % pools.length], pools[2 % pools.length].stages[0]);
          if (await opened.popup.$('[data-testid=confirm-duplicate]')) await opened.popup.click('[data-testid=confirm-duplicate]');
          const id = await submit(opened.popup, { state: 'sending', timeout: 15000 });
          await opened.popup.close();
          await opened.page.close();
          const cdp = await session.browser.target().createCDPSession();
          const { targetInfos } = await cdp.send('Target.getTargets');
          const worker = targetInfos.find((w) => w.type === 'service_worker' && w.url.startsWith(session.origin));
          await cdp.send('Target.closeTarget', { targetId: worker.targetId });
          await cdp.detach();
          await sleep(5000); // the delayed create commits on the sandbox with nobody waiting
          assert.equal((await storedWith(person.external_id)).length, before + 1, 'the create committed');
          // Opening the popup wakes the worker, which must find the record rather than send again.
          const again = await openPopup(site);
          await waitState(again.popup, id, 'delivered', 60000);
          assert.equal((await storedWith(person.external_id)).length, before + 1, 'exactly one record');
          await closeAll(again);
        }));
    }
  });
}
