// Sprout must be invisible to the pages it reads (issue 13): nothing of the extension is
// web-accessible, so a page that tries to fetch its files (the reader's old pkg/ paths, the injected
// script, the popup's and the extractor's wasm, the manifest) fails, while the extension itself reaches them; and a
// read leaves the page's DOM, its globals, its resource list and the content script's own global
// scope as they were, in real Chromium and Firefox ESR. The capture still works there.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, serveFolder, launch, withArtifacts } from './harness.mjs';

const pages = await serveFolder(join(ROOT, 'tests/e2e/pages'));
after(() => pages.close());

/** What a page would probe for: every file Sprout ships or once shipped to the page. */
const PROBED = ['pkg/sprout_content.js', 'pkg/sprout_content_bg.wasm', 'content.js', 'pkg/sprout_popup.js', 'pkg/sprout_popup_bg.wasm',
  'pkg/sprout_options.js', 'pkg/sprout_options_bg.wasm', 'pkg/sprout_extractor.js', 'pkg/sprout_extractor_bg.wasm', 'manifest.json'];
/** The files of the build that exist, for the control: the extension's own page fetches them. */
const SHIPPED = ['content.js', 'pkg/sprout_popup.js', 'pkg/sprout_popup_bg.wasm', 'pkg/sprout_options.js', 'pkg/sprout_options_bg.wasm',
  'pkg/sprout_extractor.js', 'pkg/sprout_extractor_bg.wasm', 'manifest.json'];

/** In the page: what it can see of itself (its DOM, its globals, what it loaded, what changed). */
const pageState = () => ({
  html: document.documentElement.outerHTML,
  globals: Object.getOwnPropertyNames(window).sort(),
  resources: performance.getEntriesByType('resource').map((r) => r.name),
  mutations: window.mutationsSeen.length,
});

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`invisible in ${browserName}`, () => {
    let session;
    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
    });
    after(() => session?.close());

    it('gives a page nothing of the extension to fetch', (t) =>
      withArtifacts(session, t.name, async () => {
        const { page } = await session.webPage(pages.url('watchful.html'));
        const urls = PROBED.map((p) => `${session.origin}/${p}`);
        const fetched = await page.evaluate(
          (list) => Promise.all(list.map((u) => fetch(u).then((r) => `${u}: HTTP ${r.status}`, () => null))),
          urls,
        );
        assert.deepEqual(fetched.filter(Boolean), [], 'a web page fetched extension files');
        // The control: the same addresses are right, the extension's own page reaches them.
        const options = await session.extensionPage('options.html');
        const own = await options.evaluate(
          (list) => Promise.all(list.map((u) => fetch(u).then((r) => r.ok, () => false))),
          SHIPPED.map((p) => `${session.origin}/${p}`),
        );
        assert.deepEqual(own, SHIPPED.map(() => true));
        const manifest = await options.evaluate(() => chrome.runtime.getManifest());
        // Firefox's parsed manifest says null for a key left out, Chromium's leaves it out.
        assert.equal(manifest.web_accessible_resources ?? null, null);
      }));

    it('reads the person and leaves the page, its globals and its own scope as they were', (t) =>
      withArtifacts(session, t.name, async () => {
        const { page, tabId } = await session.webPage(pages.url('watchful.html'));
        const before = await page.evaluate(pageState);
        // The content script's world (isolated from the page's) before the read, to compare after.
        const scopeOf = async () => {
          const probe = await session.extensionPage('options.html');
          const names = await probe.evaluate(async (tab) => {
            const [{ result }] = await chrome.scripting.executeScript({
              target: { tabId: tab },
              func: () => Object.getOwnPropertyNames(globalThis).sort(),
            });
            return result;
          }, tabId);
          if (browserName === 'chromium') await probe.close();
          return names;
        };
        const scopeBefore = await scopeOf();

        const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
        await popup.waitForSelector('[data-testid=page-title], [data-testid=page-error]', { timeout: 15000 });
        assert.equal(await popup.$('[data-testid=page-error]'), null);
        const value = (testid) => popup.$eval(`[data-testid=${testid}]`, (e) => e.value);
        assert.equal(await value('first-name'), 'Grace');
        assert.equal(await value('last-name'), 'Example');
        assert.equal(await value('title'), 'Rear Admiral');
        assert.equal(await value('email-0'), 'grace@example.org');
        // The popup marked the read for the benchmark: started before its wasm was ready.
        const marks = await popup.evaluate(() =>
          Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
        assert.ok(marks['sprout:read-start'] <= marks['sprout:wasm-ready'], JSON.stringify(marks));
        assert.ok(marks['sprout:page-read'] >= marks['sprout:read-start'], JSON.stringify(marks));

        const after = await page.evaluate(pageState);
        assert.equal(after.html, before.html, 'the page DOM changed');
        assert.deepEqual(after.globals, before.globals, 'the page globals changed');
        assert.deepEqual(after.resources, before.resources, 'the page loaded something');
        assert.equal(after.mutations, before.mutations, 'the page saw its DOM change');
        assert.deepEqual(await scopeOf(), scopeBefore, 'the reader left names on the content script scope');
      }));
  });
}
