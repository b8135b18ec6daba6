// Files keep their own bytes through a refusal, an edit and a retry: in real Chromium and Firefox
// ESR the recruiter attaches two files from disk, the sandbox (seed contract: the dialect that
// takes files) refuses the create, the recruiter edits the failed item (a field fixed, the first
// file removed, a third added) and saves and retries; the bytes the sandbox stored are compared
// with the files'. A file listed without its bytes cannot leave as a new capture.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, serveFolder, launch, withArtifacts, startSandbox, connectSandbox, fill, openSection } from './harness.mjs';

const API_KEY = 'sandbox-partner-key';
const RECRUITER = 'recruiter@sprout.test';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '--bin', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });
const loopback = await serveFolder(join(ROOT, 'tests/fixtures/pages'));
after(() => loopback.close());

/**
 * A small, valid PDF whose stream holds every byte value (so a text or base64 slip shows), with a
 * `label` of its own so no two files share bytes.
 */
function pdf(label) {
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + label.length * 7) % 256));
  const parts = [
    Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    Buffer.from('1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'),
    Buffer.from('2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'),
    Buffer.from(`3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >> endobj\n% ${label}\n`),
    Buffer.from(`4 0 obj << /Length ${binary.length} >> stream\n`),
    binary,
    Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  ];
  return Buffer.concat(parts);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const partner = (sandbox, path) =>
  fetch(`${sandbox.api}/${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'on-behalf-of': RECRUITER },
  }).then((r) => r.json());

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`attachments in ${browserName}`, { timeout: 300_000 }, () => {
    let session;
    let sandbox;
    const files = mkdtempSync(join(tmpdir(), 'sprout-attachments-'));
    const extra = { name: 'portfolio.pdf', bytes: pdf('portfolio') };
    const cv = { name: 'cv.pdf', bytes: pdf('curriculum vitae') };
    const letter = { name: 'letter.pdf', bytes: pdf('cover letter') };

    before(async () => {
      for (const f of [extra, cv, letter]) writeFileSync(join(files, f.name), f.bytes);
      session = await launch(browserName, join(ROOT, dist));
      const probe = await session.extensionPage('options.html');
      const redirect = await probe.evaluate(() => chrome.identity.getRedirectURL());
      if (browserName === 'chromium') await probe.close();
      sandbox = await startSandbox(['--dialect', 'seed', '--redirect-uri', redirect, '--jobs', '5']);
      await connectSandbox(session, sandbox);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    /** Opens the popup on a fixture page; resolves once the form shows with the catalog. */
    async function openPopup(site) {
      const { page, tabId } = await session.webPage(loopback.url(`${site}.html`));
      const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
      await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
      await popup.waitForFunction(() => performance.getEntriesByName('sprout:form-ready').length > 0, { timeout: 60000 });
      await popup.waitForFunction(() => document.querySelector('[data-testid=first-name]').value !== '', { timeout: 15000 });
      await popup.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 60000 });
      return { page, popup };
    }

    /** Picks `file` from disk through the file input; resolves once the popup lists it at `at`. */
    async function attach(popup, file, at) {
      await openSection(popup, 'extras-section');
      const input = await popup.waitForSelector('[data-testid=attachment-file]');
      await input.uploadFile(join(files, file.name));
      await popup.waitForFunction((i, n) => document.querySelector(`[data-testid=attachment-${i}]`)?.textContent.includes(n),
        { timeout: 15000 }, at, file.name);
    }

    /** The files the popup lists, by name, in order. */
    const listed = (popup) => popup.$$eval('[data-testid^=attachment-]', (rows) =>
      rows.filter((r) => /^attachment-\d+$/.test(r.dataset.testid)).map((r) => r.querySelector('span').textContent));

    /** Chooses the first pool, has the sandbox refuse the create once, submits; resolves to the failed item's id. */
    async function submitRefused(popup) {
      const [pool] = await partner(sandbox, 'prospect_pools');
      await popup.click('[data-testid=target-prospect]');
      await popup.waitForSelector('[data-testid=pool-search]');
      await popup.click('[data-testid=pool-search]', { clickCount: 3 });
      await popup.type('[data-testid=pool-search]', pool.name);
      await popup.waitForSelector(`[data-testid=pool-option-${pool.id}]`, { timeout: 10000 });
      await popup.click(`[data-testid=pool-option-${pool.id}]`);
      await popup.waitForFunction((n) => document.querySelector('[data-testid=pool-chosen]')?.textContent.includes(n), {}, pool.name);
      // As Greenhouse refuses a body it will not take.
      await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault: { type: 'status', status: 422 } });
      const before = await popup.$$eval('[data-state=failed]', (items) => items.map((e) => e.dataset.testid));
      await popup.click('[data-testid=submit]');
      const item = await popup.waitForFunction((b) =>
        [...document.querySelectorAll('[data-state=failed]')].map((e) => e.dataset.testid).find((x) => !b.includes(x)),
      { timeout: 45000 }, before);
      return (await item.jsonValue()).slice('outbox-item-'.length);
    }

    const errors = (popup) => popup.$$eval('.error', (es) => es.map((e) => e.textContent).join(' | '));
    const closeAll = async ({ page, popup }) => {
      await page.close();
      if (browserName === 'chromium') await popup.close();
    };

    it('keeps the bytes of the file that stays when another is removed from a refused capture, and takes a new one', (t) =>
      withArtifacts(session, t.name, async () => {
        const opened = await openPopup('github/user');
        const { popup } = opened;
        // Two files from disk, one after the other: the extra one first.
        await attach(popup, extra, 0);
        await attach(popup, cv, 1);
        await fill(popup, '[data-testid=company]', 'Refused Inc.');
        const id = await submitRefused(popup);
        assert.equal((await sandbox.admin('state')).candidates.length, 0, 'nothing stored yet');

        // Edit: both files are listed (without their bytes); the first goes, another file comes,
        // a field is fixed.
        await popup.click(`[data-testid=edit-${id}]`);
        await popup.waitForFunction((n) => document.querySelectorAll('[data-testid=remove-attachment-1]').length === 1
          && document.querySelector('[data-testid=attachment-1]').textContent.includes(n), { timeout: 15000 }, cv.name);
        assert.deepEqual(await listed(popup), [extra.name, cv.name]);
        await openSection(popup, 'extras-section');
        await popup.click('[data-testid=remove-attachment-0]');
        await popup.waitForFunction(() => !document.querySelector('[data-testid=attachment-1]'));
        await attach(popup, letter, 1);
        assert.deepEqual(await listed(popup), [cv.name, letter.name]);
        await fill(popup, '[data-testid=company]', 'Accepted Ltd.');
        await popup.click('[data-testid=submit]');
        await popup.waitForSelector(`[data-testid=outbox-item-${id}][data-state=delivered]`, { timeout: 45000 })
          .catch(async () => assert.fail(`not delivered; the popup says: ${await errors(popup)}`));

        const { candidates } = await sandbox.admin('state');
        assert.equal(candidates.length, 1, 'the retry landed once');
        const sent = candidates[0].sent;
        assert.equal(sent.company, 'Accepted Ltd.', 'the edit was sent');
        assert.deepEqual(sent.attachments.map((a) => [a.filename, a.type, a.content_type]),
          [[cv.name, 'resume', 'application/pdf'], [letter.name, 'resume', 'application/pdf']], 'the file that stayed, then the one added');
        for (const [attachment, file] of sent.attachments.map((a, i) => [a, [cv, letter][i]])) {
          assert.ok(!('id' in attachment), 'the file id stays in the extension');
          const stored = Buffer.from(attachment.content, 'base64');
          console.log(`[${browserName}] the sandbox stored ${file.name}: ${stored.length} bytes, sha256 ${sha256(stored)}; `
            + `the file on disk: ${file.bytes.length} bytes, sha256 ${sha256(file.bytes)}`);
          assert.ok(stored.equals(file.bytes), `the stored bytes are ${file.name}'s, byte for byte`);
        }
        await closeAll(opened);
      }));

    it('does not send a file listed without its bytes as a new capture once editing is cancelled', (t) =>
      withArtifacts(session, t.name, async () => {
        // Another person than the test before's, so no duplicate notice stands in the way.
        const opened = await openPopup('generic/personal_site');
        const { popup } = opened;
        await attach(popup, cv, 0);
        const id = await submitRefused(popup);
        await popup.click(`[data-testid=edit-${id}]`);
        await popup.waitForSelector('[data-testid=cancel-edit]');
        await popup.click('[data-testid=cancel-edit]');
        await popup.waitForFunction(() => !document.querySelector('[data-testid=cancel-edit]'));
        const items = await popup.$$eval('[data-testid^=outbox-item-]', (e) => e.length);
        await popup.click('[data-testid=submit]');
        await popup.waitForSelector('[data-testid=error-attachment-0]', { timeout: 15000 });
        assert.match(await popup.$eval('[data-testid=error-attachment-0]', (e) => e.textContent), /attach it again/);
        assert.equal(await popup.$$eval('[data-testid^=outbox-item-]', (e) => e.length), items, 'nothing was queued');
        // The refused item itself still retries with its file's bytes.
        await popup.click(`[data-testid=retry-${id}]`);
        await popup.waitForSelector(`[data-testid=outbox-item-${id}][data-state=delivered]`, { timeout: 45000 });
        const latest = (await sandbox.admin('state')).candidates.at(-1).sent;
        assert.ok(Buffer.from(latest.attachments[0].content, 'base64').equals(cv.bytes), `${cv.name}'s bytes, byte for byte`);
        await closeAll(opened);
      }));
  });
}
