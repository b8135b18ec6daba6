// The form never waits for the job and pool lists: the target the recruiter chose last time shows
// while the lists are still coming (here they cannot come: the sandbox holds the jobs answer and
// the cached lists are gone); and when the background's refresh of the lists ends, the popup that
// waits for it is told, and fills the picker or says why it could not. In real Chromium and
// Firefox ESR against a real sandbox.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, optionsTab, sendToPool, messenger, answerOf, indexedDbStore } from './harness.mjs';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '--bin', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

/** Opens the popup for a new blank tab (nothing to read there: the form opens empty at once). */
async function popupOnBlank(session, options) {
  const tabId = await options.evaluate(async () => (await chrome.tabs.create({ url: 'about:blank', active: false })).id);
  const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
  await popup.waitForSelector('[data-testid=capture-form]', { timeout: 30000 });
  return popup;
}

/** Deletes a connection's cached lists, and the freshness kept beside them, from the extension's IndexedDB, from one of its pages. */
const dropCachedLists = (page, connectionId) =>
  page.evaluate((id) => new Promise((ok, fail) => {
    const open = indexedDB.open('sprout');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('catalog', 'readwrite');
      tx.objectStore('catalog').delete(id);
      tx.objectStore('catalog').delete([id, 'freshness']);
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

    it('fills the picker when the refresh of the lists ends, and says when it failed', (t) =>
      withArtifacts(session, t.name, async () => {
        // A connection of its own (the one above has its jobs answer held), made the active one.
        const page = await session.extensionPage('options.html');
        const ids = async () => answerOf(await messenger(page)({ type: 'list_connections' })).connections.map((c) => c.connection.id);
        const before = await ids();
        const { pools } = await keyConnection(page, sandbox);
        const connectionId = (await ids()).find((id) => !before.includes(id));
        const switched = await messenger(page)({ type: 'set_active_connection', id: connectionId });
        assert.equal(switched.type, 'answer', JSON.stringify(switched));

        // Nothing cached for it: the popup's own read finds no lists, and the background fetches
        // them; the picker fills only when the background says that fetch ended.
        const popup = await popupOnBlank(session, page);
        await popup.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 60000 });
        await popup.click('[data-testid=target-prospect]');
        await popup.type('[data-testid=pool-search]', pools[0].name);
        await popup.waitForSelector(`[data-testid=pool-option-${pools[0].id}]`, { timeout: 30000 });
        assert.equal(await popup.$('[data-testid=pool-loading]'), null);
        // The lists' freshness is kept beside them, so how fresh they are is known without reading them.
        const cached = JSON.parse(await indexedDbStore(popup, 'catalog'));
        const lists = cached.find(([key]) => key === connectionId)?.[1];
        const freshness = cached.find(([key]) => Array.isArray(key) && key[0] === connectionId && key[1] === 'freshness')?.[1];
        assert.ok(lists, 'the lists are cached');
        assert.deepEqual(freshness, { fetched_at_ms: lists.fetched_at_ms });

        // The next fetch fails: the popup waiting for it says so.
        await dropCachedLists(popup, connectionId);
        const jobs = `${new URL(sandbox.api).pathname}/jobs`;
        await sandbox.admin('faults', { path: jobs, method: 'GET', count: 1, fault: { type: 'status', status: 403 } });
        const failed = await popupOnBlank(session, popup);
        await failed.waitForFunction(() => document.querySelector('[data-testid=catalog-status]')?.textContent
          .includes('could not update the jobs and pools'), { timeout: 60000 });
        assert.equal(await failed.evaluate(() => performance.getEntriesByName('sprout:catalog').length), 0, 'no lists');
      }));
  });
}
