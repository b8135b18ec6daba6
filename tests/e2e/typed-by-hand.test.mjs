// A page the browser does not let extensions read (here about:blank, which has no web address
// either) never blocks the recruiter: the popup says why, opens the form empty, and a person typed
// by hand is sent with an external_id that comes from what was typed (the email address, by
// sprout::page_read::typed_external_id), in real Chromium and Firefox ESR against a real sandbox.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, connectSandbox, optionsTab, fill, openSection, sendToPool } from './harness.mjs';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '--bin', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

const partner = (sandbox, path) =>
  fetch(`${sandbox.api}/${path}`, {
    headers: { authorization: `Basic ${Buffer.from('sandbox-partner-key:').toString('base64')}`, 'on-behalf-of': 'recruiter@sprout.test' },
  }).then((r) => r.json());

/** The README's rule for a person typed with an email address and no web link. */
const typedId = (email) => `sprout-${createHash('sha256').update(`mailto:${email}`).digest('hex').slice(0, 32)}`;

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`a page extensions may not read, in ${browserName}`, { timeout: 300_000 }, () => {
    let session;
    let sandbox;
    let options;

    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
      options = await optionsTab(session);
      const redirect = await options.evaluate(() => chrome.identity.getRedirectURL());
      sandbox = await startSandbox(['--redirect-uri', redirect]);
      await connectSandbox(session, sandbox);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    it('opens the form empty with the reason, and sends a person typed by hand under an id from what was typed', (t) =>
      withArtifacts(session, t.name, async () => {
        const tabId = await options.evaluate(async () => (await chrome.tabs.create({ url: 'about:blank', active: false })).id);
        assert.ok(Number.isInteger(tabId));
        const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
        await popup.waitForSelector('[data-testid=page-error]', { timeout: 30000 });
        await popup.waitForSelector('[data-testid=capture-form]');
        const value = (testid) => popup.$eval(`[data-testid=${testid}]`, (e) => e.value);
        assert.equal(await value('first-name'), '');
        await popup.waitForFunction(() => document.activeElement?.dataset.testid === 'first-name', { timeout: 10000 });
        await popup.keyboard.type('Hedy');
        await popup.type('[data-testid=last-name]', 'Typed');
        await openSection(popup, 'contact-section');
        await popup.click('[data-testid=add-email]');
        await popup.waitForSelector('[data-testid=email-0]');
        await fill(popup, '[data-testid=email-0]', 'Hedy@Example.org');

        const [pool] = await partner(sandbox, 'prospect_pools');
        await sendToPool(popup, pool);

        const stored = (await sandbox.admin('state')).candidates.map((c) => c.sent);
        assert.equal(stored.length, 1);
        assert.equal(stored[0].first_name, 'Hedy');
        assert.equal(stored[0].external_id, typedId('hedy@example.org'));
      }));
  });
}
