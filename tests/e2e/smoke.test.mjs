// Smoke test of the built extension in both real browsers: the onboarding page opens on install,
// the Leptos popup renders its form, and the content script extracts the person from a loopback page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, serveFolder, launch, withArtifacts } from './harness.mjs';

const pages = await serveFolder(join(ROOT, 'tests/e2e/pages'));
after(() => pages.close());

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`smoke in ${browserName}`, () => {
    let session;
    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
    });
    after(() => session?.close());

    it('opens the onboarding page on install', (t) =>
      withArtifacts(session, t.name, async () => {
        const options = await session.extensionPage('options.html');
        await options.waitForSelector('[data-testid=welcome]');
        assert.equal(await options.$eval('[data-testid=welcome]', (e) => e.textContent), 'Welcome to Sprout');
      }));

    it('prefills the capture form with the person the content script extracted', (t) =>
      withArtifacts(session, t.name, async () => {
        const { tabId } = await session.webPage(pages.url('hello.html'));
        assert.ok(Number.isInteger(tabId), 'the fixture tab is visible to the extension');
        const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
        await popup.waitForSelector('[data-testid=page-title], [data-testid=page-error]', { timeout: 15000 });
        const error = await popup.$eval('[data-testid=page-error]', (e) => e.textContent).catch(() => null);
        assert.equal(error, null);
        assert.equal(await popup.$eval('[data-testid=page-title]', (e) => e.textContent), 'Ada Example – Staff Engineer');
        assert.equal(await popup.$eval('[data-testid=page-url]', (e) => e.textContent), pages.url('hello.html'));
        assert.match(await popup.$eval('[data-testid=page-size]', (e) => e.textContent), /^\d{3,} characters of HTML, read in [\d.]+ ms$/);
        // The person, as the core extractor running in the page's wasm found them.
        const value = (testid) => popup.$eval(`[data-testid=${testid}]`, (e) => e.value);
        assert.equal(await value('first-name'), 'Ada');
        assert.equal(await value('last-name'), 'Example');
        assert.equal(await popup.$eval('[data-testid=hint-first-name]', (e) => e.textContent), 'from h-card');
        assert.match(await popup.$eval('[data-testid=hint-first-name]', (e) => e.title), /^Confidence \d+%$/);
        assert.equal(await value('title'), 'Staff Engineer');
        assert.equal(await value('company'), 'Example Analytical Engines');
        assert.equal(await value('email-0'), 'ada@example.org');
        assert.equal(await popup.$('[data-testid=email-1]'), null);
      }));

    it('refuses a message that does not come from an extension page', (t) =>
      withArtifacts(session, t.name, async () => {
        // A content script carries the extension's id but the web page's URL: what it sends is
        // data, never a command. Inject one that asks the background for a privileged answer.
        const { tabId } = await session.webPage(pages.url('hello.html'));
        const options = await session.extensionPage('options.html');
        const answer = await options.evaluate(async (tab) => {
          const [{ result }] = await chrome.scripting.executeScript({
            target: { tabId: tab },
            func: () => chrome.runtime.sendMessage({ type: 'ping' }),
          });
          return result;
        }, tabId);
        assert.equal(answer?.type, 'refused');
        assert.match(answer.reason?.unserved?.detail ?? '', /not one of this extension's pages/, JSON.stringify(answer));
        // The same request from an extension page is answered, in the reply every request gets.
        const pong = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }));
        assert.equal(pong?.type, 'answer', JSON.stringify(pong));
        assert.match(pong.answer.version, /^\d+\.\d+\.\d+/, JSON.stringify(pong));
      }));
  });
}
