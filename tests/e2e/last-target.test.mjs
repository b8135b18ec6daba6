// The form never waits for the job and pool lists: the target the recruiter chose last time shows
// while the lists are still coming (here they cannot come: the sandbox holds the jobs answer and
// the cached lists are gone), in real Chromium and Firefox ESR against a real sandbox.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, optionsTab, sendToPool } from './harness.mjs';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '--bin', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

/** Opens the popup for a new blank tab (nothing to read there: the form opens empty at once). */
async function popupOnBlank(session, options) {
  const tabId = await options.evaluate(async () => (await chrome.tabs.create({ url: 'about:blank', active: false })).id);
  const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
  await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
  return popup;
}

/** Deletes a connection's cached lists from the extension's IndexedDB, from one of its pages. */
const dropCachedLists = (page, connectionId) =>
  page.evaluate((id) => new Promise((ok, fail) => {
    const open = indexedDB.open('sprout');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('catalog', 'readwrite');
      tx.objectStore('catalog').delete(id);
      tx.oncomplete = () => {
        db.close();
        ok();
      };
      tx.onerror = () => fail(tx.error);
    };
  }), connectionId);

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`the remembered target, in ${browserName}`, { timeout: 300_000 }, () => {
    let session;
    let sandbox;
    let options;

    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
      options = await optionsTab(session);
      sandbox = await startSandbox(['--dialect', 'seed']);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    it('shows last time\'s target before the lists arrive', (t) =>
      withArtifacts(session, t.name, async () => {
        const { connectionId, pools } = await keyConnection(options, sandbox);
        const pool = pools.at(-1);
        const first = await popupOnBlank(session, options);
        await first.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 60000 });
        await first.type('[data-testid=first-name]', 'Grace');
        await first.type('[data-testid=last-name]', 'Remembered');
        await sendToPool(first, pool);

        // The lists cannot come now: none cached, and Greenhouse's jobs answer held far longer than the test.
        await dropCachedLists(first, connectionId);
        const jobs = `${new URL(sandbox.api).pathname}/jobs`;
        await sandbox.admin('faults', { path: jobs, method: 'GET', count: 1, fault: { type: 'delay', ms: 600_000 } });

        // (Firefox's harness opens every extension page in its one extension tab: this replaces the first.)
        const popup = await popupOnBlank(session, first);
        // Named as the form named it then (pool and stage), though no list names it yet.
        const named = `${pool.name}: ${pool.stages[0].name}`;
        await popup.waitForFunction((n) => document.querySelector('[data-testid=target-prospect]')?.checked
          && document.querySelector('[data-testid=pool-chosen]')?.textContent.includes(n), { timeout: 30000 }, named);
        await popup.waitForFunction(() => performance.getEntriesByName('sprout:target-shown').length > 0, { timeout: 10000 });
        assert.ok(await popup.$('[data-testid=pool-loading]'), 'the pools are still coming');
        assert.equal(await popup.evaluate(() => performance.getEntriesByName('sprout:catalog').length), 0, 'no lists yet');
        // The background did ask for the lists, and the sandbox holds that answer.
        await popup.waitForFunction(async (url) => (await (await fetch(url)).json()).faults.length === 0, { timeout: 30000 },
          `${sandbox.origin}/_sandbox/state`);
      }));
  });
}
