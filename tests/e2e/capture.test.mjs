// The capture flow end to end: the built extension in real Chromium and Firefox ESR reads a
// fixture profile page, the recruiter picks a target in the popup, and the background delivers it
// to a real sprout-sandbox on 127.0.0.1 speaking Greenhouse's published dialect. What the sandbox
// stored is compared with a body computed here from the fixture (sprout-extract on the same page
// and URL) plus the target chosen, never with what the extension says it sent. Also: duplicates
// (the ledger read back by id), faults on the create (a lost answer is never resent: the recruiter
// decides), a rejected body, a Basic-role user, a resume link and a note, 10,000 jobs,
// accessibility, keyboard, a stopped worker. A short set keeps the seed contract's path honest:
// capture, duplicate (searched by external_id) and a lost answer found by that search.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, ARTIFACTS, serveFolder, serveFixtureSites, launch, withArtifacts, startSandbox, connectSandbox, fill, grantHttpsAccess,
  openSection, aboveTheFold,
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

/**
 * The person sprout-extract finds in a fixture file when the browser shows it at `url`, as the
 * form prefills it: contact details the engine is unsure of are offered unticked, not filled in.
 * `note` is what the page offers for the recruiter's note (a LinkedIn headline).
 */
function extracted(site, url) {
  const out = JSON.parse(execFileSync(join(ROOT, 'target/debug/sprout-extract'), ['--url', url, join(FIXTURES, `${site}.html`)]));
  const person = out.candidate;
  for (const [list, provenance] of [['emails', 'emails'], ['phone_numbers', 'phones'], ['social_media_addresses', 'links']]) {
    if (!person[list]) continue;
    const unsure = (out.provenance[provenance] ?? []).map((f) => f.unsure === true);
    person[list] = person[list].filter((_, i) => !unsure[i]);
    if (!person[list].length) delete person[list];
  }
  return Object.defineProperty(person, 'note', { value: out.provenance.note?.value, enumerable: false });
}

/** The seed contract's body for the person at a target, built here from the contract, not by the extension. */
function expectedSeedBody(person, target) {
  const body = structuredClone(person);
  delete body.id;
  if (target.job) body.application = { job_id: target.job.id };
  else body.prospect = { prospect_pool_id: target.pool.id, prospect_stage_id: target.stage.id };
  return body;
}

/**
 * Checks a stored greenhouse-dialect body against the person and target, field by field as
 * Greenhouse's docs name them (_candidates.md). Links are checked as a whole: every one of the
 * person's links is in `social_media` or `websites` (with one of the docs' types), in order,
 * and nothing else is; which list a link belongs in is the extension's judgement, tested in the core.
 */
function assertGreenhouseBody(sent, person, target, { page, note, resume, what }) {
  const typed = (kind, allowed) => (allowed.includes(kind) ? kind : 'other');
  const expected = {
    prospect: !target.job,
    first_name: person.first_name,
    last_name: person.last_name,
    external_id: person.external_id,
    ...(person.company && { company: person.company }),
    ...(person.title && { title: person.title }),
    ...(target.job ? { job_id: target.job.id } : { prospect_pool_id: target.pool.id, prospect_pool_stage_id: target.stage.id }),
    ...(person.emails?.length && {
      emails: person.emails.map((e) => ({ email: e.value, type: typed(e.type, ['personal', 'work', 'other']) })),
    }),
    ...(person.phone_numbers?.length && {
      phone_numbers: person.phone_numbers.map((p) => ({ phone_number: p.value, type: typed(p.type, ['mobile', 'home', 'work', 'other']) })),
    }),
    ...(resume && { resume }),
  };
  const { social_media: social = [], websites = [], notes, ...rest } = sent;
  assert.deepEqual(rest, expected, `${what}: the stored body`);
  const links = (person.social_media_addresses ?? []).map((l) => l.value);
  assert.deepEqual([...social.map((s) => s.url), ...websites.map((w) => w.url)].sort(), [...links].sort(), `${what}: every link, once`);
  for (const w of websites) assert.ok(['personal', 'company', 'portfolio', 'blog', 'other'].includes(w.type), `${what}: website type ${w.type}`);
  for (const list of [social.map((s) => s.url), websites.map((w) => w.url)]) {
    assert.deepEqual(list, links.filter((l) => list.includes(l)), `${what}: links keep the page's order`);
  }
  assert.match(notes, /^Captured with Sprout \d+\.\d+\.\d+ from /, `${what}: the audit line`);
  assert.ok(notes.includes(page), `${what}: the audit line names the page ${page}`);
  assert.match(notes, / on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./, `${what}: the audit line says when`);
  if (note) assert.ok(notes.endsWith(`\n\n${note}`), `${what}: the recruiter's note follows the audit line`);
  else assert.ok(!notes.includes('\n'), `${what}: only the audit line`);
}

/** The Partner API as a sandbox user sees it, for choosing targets independently of the popup. */
const partner = (sandbox, path, user = ADMIN) =>
  fetch(`${sandbox.api}/${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'on-behalf-of': user },
  }).then((r) => r.json());

const BROWSERS = [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']];
for (const [browserName, dist, dialect] of [...BROWSERS.map((b) => [...b, 'greenhouse']), ...BROWSERS.map((b) => [...b, 'seed'])]) {
  // The seed contract keeps a short set; Greenhouse's dialect, what recruiters use, gets them all.
  const full = dialect === 'greenhouse';
  const sites = full ? SITES : ['github/user', 'linkedin/public', 'mastodon/profile'];
  describe(`capture in ${browserName}, ${dialect} dialect`, { timeout: 900_000 }, () => {
    // Both browsers load the fixture sites at their real https addresses through the fixture proxy.
    // Chromium reaches them with activeTab (the toolbar button pressed through CDP); Firefox cannot
    // press the button from a test, so there the optional https host access is granted instead.
    // SPROUT_E2E_LOOPBACK=1 reads the same files from 127.0.0.1 instead (generic extractors only).
    const realSites = process.env.SPROUT_E2E_LOOPBACK !== '1';
    const shots = join(ARTIFACTS, `capture-${browserName}-${dialect}`);
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
      sandbox = await startSandbox(['--dialect', dialect, '--redirect-uri', redirect, '--jobs', String(full ? JOBS : 50)]);
      adminConnection = await connectSandbox(session, sandbox, { caption: 'Sandbox' });
      if (full) basicConnection = await connectSandbox(session, sandbox, { caption: 'Basic user', user: BASIC });
      jobs = await partner(sandbox, 'jobs');
      pools = await partner(sandbox, 'prospect_pools');
      assert.equal(jobs.length, full ? JOBS : 50);
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
    /** Where the delivered item links: Greenhouse's `profile_url`, or the seed contract's person page. */
    const personLink = (record) =>
      record.application ? `${sandbox.origin}/people/${record.id}?application_id=${record.application.application_id}` : `${sandbox.origin}/people/${record.id}`;
    const text = (page, testid) => page.$eval(`[data-testid=${testid}]`, (e) => e.textContent.trim()).catch(() => null);

    /** Keeps a screenshot of the popup in a named state (light unless said), and a copy for the README. */
    async function shot(popup, state, { readme = false } = {}) {
      await popup.bringToFront();
      const file = join(shots, `${state}.png`);
      await popup.screenshot({ path: file, fullPage: true });
      // The README's copies change only when asked for, so a test run leaves the tree clean.
      if (readme && full && process.env.SPROUT_README_SHOTS === '1') copyFileSync(file, join(ROOT, 'docs/screenshots', `${browserName}-${state}.png`));
    }

    /**
     * Opens the fixture page and the popup on it; resolves once the form shows and the catalog is
     * in its picker (the form itself never waits for the catalog).
     */
    async function openPopup(site, { connection = adminConnection } = {}) {
      const { page, tabId } = await session.webPage(addressOf(site), { press: realSites && browserName === 'chromium' });
      assert.ok(Number.isInteger(tabId), `the extension sees the tab of ${site}`);
      const seen = page.url();
      const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
      await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
      // The form waits only for the page; the connections come from a worker that may be starting.
      await popup.waitForSelector('[data-testid=active-connection]', { timeout: 30000 });
      const active = await popup.$eval('[data-testid=active-connection]', (e) => e.value);
      if (active !== connection) {
        await fill(popup, '[data-testid=active-connection]', connection);
        await popup.waitForFunction(
          async (id) => (await chrome.storage.local.get('active_connection')).active_connection === id, { timeout: 10000 }, connection);
      }
      await popup.waitForFunction(() => performance.getEntriesByName('sprout:form-ready').length > 0, { timeout: 60000 });
      await popup.waitForFunction(() => document.querySelector('[data-testid=first-name]').value !== '', { timeout: 15000 });
      await popup.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 60000 });
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

    /**
     * A job one can find by typing what tells it apart (names repeat among 10,000): its requisition
     * id in the seed contract, its id in Greenhouse's dialect (which gives no requisition ids).
     */
    const findBy = (job) => job.requisition_id ?? String(job.id);
    const uniqueJob = (i, among = jobs) =>
      among.filter((j) => jobs.filter((k) => findBy(k) === findBy(j)).length === 1)[i * 7];

    async function chooseJob(popup, job) {
      await popup.click('[data-testid=target-job]');
      await popup.waitForSelector('[data-testid=job-search]');
      await popup.click('[data-testid=job-search]', { clickCount: 3 });
      await popup.type('[data-testid=job-search]', findBy(job));
      await popup.waitForSelector(`[data-testid=job-option-${job.id}]`, { timeout: 10000 });
      await popup.click(`[data-testid=job-option-${job.id}]`);
      await popup.waitForFunction((n) => document.querySelector('[data-testid=job-chosen]')?.textContent.includes(n), {}, job.name);
    }

    const outboxIds = (popup) =>
      popup.$$eval('[data-testid^=outbox-item-]', (items) => items.map((e) => e.dataset.testid.slice('outbox-item-'.length)));

    /**
     * From now on, keeps the type of every message the popup sends to the background in
     * `sproutSent`: its wasm looks `chrome.runtime.sendMessage` up at each call.
     */
    const recordSent = (popup) =>
      popup.evaluate(() => {
        if (!globalThis.sproutSent) {
          const send = chrome.runtime.sendMessage.bind(chrome.runtime);
          chrome.runtime.sendMessage = (message, ...rest) => {
            globalThis.sproutSent.push(message?.type);
            return send(message, ...rest);
          };
        }
        globalThis.sproutSent = [];
      });

    /**
     * Submits (by click, or Enter in the first-name field) and waits for the new outbox item to reach
     * `state`, which the background pushes: the popup never asks for the outbox.
     */
    async function submit(popup, { by = 'click', state = 'delivered', timeout = 45000 } = {}) {
      const before = new Set(await outboxIds(popup));
      await recordSent(popup);
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
      const sent = await popup.evaluate(() => globalThis.sproutSent);
      assert.ok(sent.includes('submit'), `the popup's messages are seen: ${sent}`);
      assert.ok(!sent.includes('list_outbox'), `the popup asked for the outbox instead of being told: ${sent}`);
      return id;
    }

    const itemState = (popup, id) => popup.$eval(`[data-testid=outbox-item-${id}]`, (e) => e.dataset.state).catch(() => null);
    async function waitState(popup, id, state, timeout = 45000) {
      await popup
        .waitForFunction((i, s) => document.querySelector(`[data-testid=outbox-item-${i}]`)?.dataset.state === s, { timeout }, id, state)
        .catch(async () => assert.fail(`outbox item ${id} is ${await itemState(popup, id)}, expected ${state}`));
    }

    /** Clicks what may sit under Send's sticky row: brought to the middle first, as a person scrolls. */
    const clickScrolled = async (popup, testid) => {
      await popup.$eval(`[data-testid=${testid}]`, (e) => e.scrollIntoView({ block: 'center' }));
      await popup.click(`[data-testid=${testid}]`);
    };

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

    /**
     * One screen: at the popup's real size, the person (name, title at company), the duplicate
     * status, the target and Send are all in view without scrolling, and Send hides nothing of
     * the target. The bottoms are printed for the report.
     */
    async function assertOneScreen(popup, state) {
      const ids = ['first-name', 'last-name', 'title', 'company', 'duplicate-status', 'target', 'submit'];
      const at = await aboveTheFold(popup, [...ids, 'hint-first-name', 'outbox']);
      console.log(`[${browserName}, ${dialect}] ${state} at 400×600, bottoms: ${Object.entries(at).map(([id, r]) => `${id} ${r?.bottom ?? '-'}`).join(', ')}`);
      for (const id of ids) {
        assert.ok(at[id], `${state}: ${id} is shown`);
        assert.ok(at[id].bottom <= 600, `${state}: ${id} ends at ${at[id].bottom} px, below the 600 px popup`);
      }
      assert.ok(at.target.bottom <= at.submit.top, `${state}: Send (from ${at.submit.top} px) covers the target (to ${at.target.bottom} px)`);
    }

    const capturedIds = new Map(); // site -> candidate id of its first capture

    it('captures each fixture site to a prospect pool and stage, and one to a job, exactly as extracted', (t) =>
      withArtifacts(session, t.name, async () => {
        for (const [i, site] of sites.entries()) {
          const opened = await openPopup(site);
          const { popup, seen } = opened;
          const person = extracted(site, seen);
          assert.equal(await popup.$eval('[data-testid=first-name]', (e) => e.value), person.first_name, `${site}: first name shown`);
          // The LinkedIn person goes onto a job as a candidate, everyone else into a pool as a prospect.
          const toJob = site === 'linkedin/public';
          // The candidate carries a pasted resume link and a note (the dialect takes both).
          const extras = full && toJob ? { resume: 'https://octo.example/files/resume.pdf', note: 'Met at RustConf; open to Berlin.' } : {};
          // What the page offers for the note (a LinkedIn headline) starts the note.
          if (full && !extras.note && person.note) extras.note = person.note;
          const target = toJob ? { job: uniqueJob(0) } : { pool: pools[i % pools.length] };
          if (toJob) await chooseJob(popup, target.job);
          else {
            const byPriority = [...target.pool.stages].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
            target.stage = byPriority[Math.min(1, byPriority.length - 1)];
            await choosePool(popup, target.pool, target.stage);
          }
          if (extras.resume) {
            await openSection(popup, 'extras-section');
            await fill(popup, '[data-testid=resume-url]', extras.resume);
            await fill(popup, '[data-testid=note]', extras.note);
          }
          if (!full) assert.equal(await popup.$('[data-testid=note]'), null, 'the seed contract takes no note');
          if (i === 0) {
            await assertOneScreen(popup, 'form');
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
          if (full) assertGreenhouseBody(records[0].sent, person, target, { page: seen, what: site, ...extras });
          else assert.deepEqual(records[0].sent, expectedSeedBody(person, target), `${site}: the stored body`);
          assert.equal(records[0].created_by, ADMIN);
          const link = await popup.$eval(`[data-testid=outbox-link-${id}]`, (e) => e.href);
          assert.equal(link, personLink(records[0]), `${site}: "Open in Greenhouse"`);
          if (site === 'github/user' || site === 'linkedin/public') {
            console.log(`[${browserName}, ${dialect}] the sandbox stored ${site} as: ${JSON.stringify(records[0].sent)}`);
          }
          capturedIds.set(site, records[0].id);
          await closeAll(opened);
        }
        const page = await (await fetch(`${sandbox.origin}/people/${capturedIds.get('github/user')}`)).text();
        assert.match(page, /<h1 id=name>[^<]+<\/h1>/);
      }));

    // A team page names several people: the form starts with the page's own, and "Not this
    // person?" fills it with anyone else the page names.
    if (full) it('offers the other people on a team page under "Not this person?"', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'generic/team_page';
        const opened = await openPopup(site);
        const { popup, seen } = opened;
        const out = JSON.parse(execFileSync(join(ROOT, 'target/debug/sprout-extract'), ['--url', seen, join(FIXTURES, `${site}.html`)]));
        const [other] = out.provenance.others;
        assert.ok(other, 'the engine names someone else on the page');
        await popup.waitForSelector('[data-testid=not-this-person]');
        await popup.click('[data-testid=not-this-person] summary');
        await shot(popup, 'not-this-person', { readme: true });
        await popup.click('[data-testid=person-1]');
        await popup.waitForFunction((n) => document.querySelector('[data-testid=first-name]').value === n, { timeout: 10000 }, other.first_name.value);
        assert.equal(await popup.$eval('[data-testid=last-name]', (e) => e.value), other.last_name.value);
        await popup.click('[data-testid=person-0]');
        await popup.waitForFunction((n) => document.querySelector('[data-testid=first-name]').value === n, { timeout: 10000 }, out.candidate.first_name);
        await closeAll(opened);
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
        const [record] = (await storedWith(person.external_id)).filter((c) => c.id === first);
        assert.equal(await popup.$eval(`[data-testid=duplicate-link-${first}]`, (e) => e.href), personLink(record));
        if (full) {
          // Read back by id: where the person stands, and the one line on what Greenhouse cannot tell.
          assert.match(await text(popup, `duplicate-record-${first}`), /already in Greenhouse: [^·]*active/);
          assert.match(await text(popup, 'duplicate-limits'), /another browser/);
        }
        await choosePool(popup, pools[0], pools[0].stages[0]);
        assert.equal(await popup.$eval('[data-testid=submit]', (e) => e.disabled), true, 'submit waits for the confirmation');
        await assertOneScreen(popup, 'duplicate');
        await shot(popup, 'duplicate', { readme: true });
        await accessible(popup, 'duplicate');
        await popup.click('[data-testid=confirm-duplicate]');
        await submit(popup);
        assert.equal((await storedWith(person.external_id)).length, 2);
        await closeAll(opened);
      }));

    const faults = full
      ? [['a 429 with Retry-After 1', { type: 'rate_limit', retry_after: 1 }]]
      : [['an answer cut off after the create committed', { type: 'cut_after_commit' }]];
    for (const [name, fault] of faults) {
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

    // Greenhouse cannot be searched by external_id, so a create whose answer was lost is never
    // sent again by itself: the item says "outcome unknown", links to Greenhouse's search, and
    // the recruiter chooses. A 500 (nothing stored): "Send again" lands it once. An answer cut
    // off after the commit (stored): "It is in Greenhouse" closes it, and nothing more is sent.
    if (full) it('leaves a create whose answer was lost to the recruiter: outcome unknown, then their choice', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'dribbble/profile';
        for (const [fault, stores, choice] of [
          [{ type: 'status', status: 500 }, 0, 'send-again'],
          [{ type: 'cut_after_commit' }, 1, 'it-is-there'],
        ]) {
          const opened = await openPopup(site);
          const { popup } = opened;
          const person = extracted(site, opened.seen);
          const before = (await storedWith(person.external_id)).length;
          const posts = async () => (await sandbox.admin('state')).requests.filter((r) => r.method === 'POST' && r.path === '/v1/partner/candidates').length;
          const postsBefore = await posts();
          await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault });
          await choosePool(popup, pools[1], pools[1].stages[0]);
          if (await popup.$('[data-testid=confirm-duplicate]')) await popup.click('[data-testid=confirm-duplicate]');
          const id = await submit(popup, { state: 'failed', timeout: 60000 });
          await popup.waitForSelector(`[data-testid=outcome-unknown-${id}]`);
          const search = await popup.$eval(`[data-testid=outbox-search-${id}]`, (a) => a.href);
          assert.ok(search.startsWith(`${sandbox.origin}/people?query=`), search);
          assert.equal(await posts(), postsBefore + 1, 'sent once, never again by itself');
          assert.equal((await storedWith(person.external_id)).length, before + stores);
          if (stores === 0) await shot(popup, 'outcome-unknown', { readme: true });
          await popup.click(`[data-testid=${choice}-${id}]`);
          if (choice === 'send-again') await waitState(popup, id, 'delivered', 60000);
          else await popup.waitForFunction((i) => !document.querySelector(`[data-testid=outbox-item-${i}]`), { timeout: 10000 }, id);
          assert.equal((await storedWith(person.external_id)).length, before + 1, `${fault.type}: exactly one more record`);
          await closeAll(opened);
        }
      }));

    // A connection closed after the commit and before any byte of the answer: on a reused
    // keep-alive connection the browser itself sends the POST again (fetch never fails), which no
    // extension can prevent. Sprout must then say so on the delivered item, naming the extra record.
    // Only the seed contract can look the person up afterwards.
    if (!full) it('reports a create the browser itself resent after a silent drop', (t) =>
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

    if (full) it('shows a rejected capture as failed, retries it edited, and discards another', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'bluesky/profile';
        const opened = await openPopup(site);
        const { popup } = opened;
        const person = extracted(site, opened.seen);
        const before = (await storedWith(person.external_id)).length;
        // Passes the popup's own check (something@domain.tld) but not the sandbox's: 422.
        await openSection(popup, 'contact-section');
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
        assert.deepEqual(records.at(-1).sent.emails.map((e) => e.email), ['tane@example.com']);
        assertGreenhouseBody(records.at(-1).sent, { ...person, emails: [{ value: 'tane@example.com' }] },
          { pool: pools[0], stage: pools[0].stages[0] }, { page: opened.seen, what: 'the edited retry' });
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

    if (full) it('lets a Basic-role user capture, says what Greenhouse cannot tell, and explains the tracking link', (t) =>
      withArtifacts(session, t.name, async () => {
        const site = 'wellfound/profile';
        const opened = await openPopup(site, { connection: basicConnection });
        const { popup } = opened;
        const person = extracted(site, opened.seen);
        await popup.waitForSelector('[data-testid=duplicate-limits]', { timeout: 15000 });
        assert.match(await text(popup, 'duplicate-limits'), /this browser/i);
        // A Basic user sees (and may create on) public jobs only.
        const mayPost = new Set((await partner(sandbox, 'jobs', BASIC)).map((j) => j.id));
        const job = uniqueJob(1, jobs.filter((j) => mayPost.has(j.id)));
        await chooseJob(popup, job);
        await openSection(popup, 'job-more-section');
        if (await popup.$('[data-testid=tracking-link]')) await clickScrolled(popup, 'tracking-link');
        await popup.waitForSelector('[data-testid=tracking-link-unavailable]', { timeout: 15000 });
        assert.equal(await popup.$('[data-testid=tracking-link-url]'), null);
        await shot(popup, 'basic-role', { readme: true });
        if (await popup.$('[data-testid=confirm-duplicate]')) await popup.click('[data-testid=confirm-duplicate]');
        await submit(popup);
        const mine = (await storedWith(person.external_id)).filter((c) => c.created_by === BASIC);
        assert.equal(mine.length, 1);
        assertGreenhouseBody(mine[0].sent, person, { job }, { page: opened.seen, what: 'the Basic user' });
        await closeAll(opened);
        // The admin user gets a tracking link from the sandbox.
        const admin = await openPopup(site);
        await chooseJob(admin.popup, job);
        await openSection(admin.popup, 'job-more-section');
        await clickScrolled(admin.popup, 'tracking-link');
        await admin.popup.waitForSelector('[data-testid=tracking-link-url]', { timeout: 15000 });
        const url = await text(admin.popup, 'tracking-link-url');
        assert.match(url, new RegExp(`^${sandbox.origin}/t/[\\w-]+$`));
        const { tracking_links } = await sandbox.admin('state');
        assert.ok(tracking_links.some((l) => l.url === url && l.created_by === ADMIN && l.sent.job_id === job.id));
        await closeAll(admin);
      }));

    if (full) it(`opens quickly with ${JOBS} jobs and filters as one types (timings printed, not asserted)`, (t) =>
      withArtifacts(session, t.name, async () => {
        const ready = [];
        const named = [];
        const listed = [];
        const filters = [];
        for (const query of ['eng', 'sen', 'man', 'des']) {
          const opened = await openPopup('github/user');
          const { popup } = opened;
          const at = (mark) => popup.evaluate((m) => performance.getEntriesByName(m)[0]?.startTime ?? NaN, mark);
          ready.push(await at('sprout:form-ready'));
          named.push(await at('sprout:name-shown'));
          listed.push(await at('sprout:catalog'));
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
        console.log(`[timings ${browserName}, ${JOBS} jobs] navigation→sprout:name-shown median ${median(named).toFixed(1)} ms, `
          + `→sprout:form-ready ${median(ready).toFixed(1)} ms, →sprout:catalog ${median(listed).toFixed(1)} ms (n=${ready.length}); `
          + `sprout:filter median ${median(filters).toFixed(1)} ms (n=${filters.length})`);
      }));

    if (full) it('declares Alt+Shift+S and closes the popup page on Esc', (t) =>
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

    // A worker stopped while the create is under way: the seed contract finds the record by
    // external_id; Greenhouse's dialect cannot, so the item says "outcome unknown" and nothing is
    // sent again until the recruiter says so.
    if (browserName === 'chromium') {
      it(`never sends twice when the service worker is stopped mid-delivery (${full ? 'outcome unknown' : 'found by look-up'})`, (t) =>
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
          // Opening the popup wakes the worker, which must find the record (or leave it to the
          // recruiter) rather than send again.
          const again = await openPopup(site);
          if (full) {
            await waitState(again.popup, id, 'failed', 60000);
            await again.popup.waitForSelector(`[data-testid=outcome-unknown-${id}]`);
            await again.popup.click(`[data-testid=it-is-there-${id}]`);
            await again.popup.waitForFunction((i) => !document.querySelector(`[data-testid=outbox-item-${i}]`), { timeout: 10000 }, id);
          } else {
            await waitState(again.popup, id, 'delivered', 60000);
          }
          assert.equal((await storedWith(person.external_id)).length, before + 1, 'exactly one record');
          await closeAll(again);
        }));
    }
  });
}
