// The outbox survives the service worker being stopped mid-delivery: real Chromium, the built
// extension, a real sprout-sandbox on 127.0.0.1. The create is held up by the sandbox, the worker
// is stopped through the DevTools protocol while it waits, and the worker woken again must find
// the record by look-up rather than send it a second time.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, messenger, answerOf } from './harness.mjs';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

describe('outbox in chromium', { timeout: 180_000 }, () => {
  let session;
  let sandbox;
  let page;
  const send = (m) => messenger(page)(m);

  before(async () => {
    session = await launch('chromium', join(ROOT, 'dist/dev/chrome'));
    page = await session.extensionPage('options.html');
    // The seed contract's look-up by external_id is what confirms the interrupted create.
    sandbox = await startSandbox(['--dialect', 'seed', '--redirect-uri', await page.evaluate(() => chrome.identity.getRedirectURL())]);
  });
  after(async () => {
    sandbox?.stop();
    await session?.close();
  });

  it('delivers exactly once when the worker is stopped while the create is on its way', (t) =>
    withArtifacts(session, t.name, async () => {
      // A Partner-key connection: signed in without a consent window.
      const { connectionId, pools } = await keyConnection(page, sandbox);
      const externalId = 'sprout-outbox-restart';
      // Long enough that the worker is stopped before the answer, even on a loaded machine.
      await sandbox.admin('faults', { path: '/v1/partner/candidates', method: 'POST', count: 1, fault: { type: 'delay', ms: 8000 } });

      const queued = answerOf(await send({
        type: 'submit',
        capture: {
          connection_id: connectionId,
          person: { external_id: externalId, first_name: 'Ada', last_name: 'Lovelace' },
          target: { kind: 'prospect', pool_id: pools[0].id },
          target_label: pools[0].name,
        },
      }));
      assert.equal(queued.type, 'queued', JSON.stringify(queued));
      const id = queued.item.id;
      const stateOf = async () => answerOf(await send({ type: 'list_outbox' })).items.find((i) => i.id === id)?.state;
      for (let i = 0; i < 50 && (await stateOf())?.state !== 'sending'; i++) await sleep(50);
      assert.equal((await stateOf()).state, 'sending', 'the create is on its way');
      // The worker lists who is already there before it sends: wait until the sandbox holds the
      // create itself (its delay fault is taken when the POST arrives).
      const held = async () => (await sandbox.admin('state')).faults.length === 0;
      for (let i = 0; i < 200 && !(await held()); i++) await sleep(50);
      assert.ok(await held(), 'the sandbox holds the create back');

      // Stop the worker while the sandbox holds the create back.
      const cdp = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      // The sandbox stores the record after its delay; nobody hears the answer.
      const stored = async () => (await sandbox.admin('state')).candidates.filter((c) => c.candidate.external_id === externalId);
      for (let i = 0; i < 200 && (await stored()).length === 0; i++) await sleep(100);
      assert.equal((await stored()).length, 1, 'the held-back create committed');

      // Any event wakes the worker; start() drains, finds the item sending and looks it up first.
      let state;
      for (let i = 0; i < 100; i++) {
        state = await stateOf();
        if (state?.state === 'delivered') break;
        await sleep(200);
      }
      assert.equal(state?.state, 'delivered', JSON.stringify(state));
      assert.equal(state.confirmed_by_lookup, true, 'confirmed by the look-up, not by a second create');
      const { candidates } = await sandbox.admin('state');
      const records = candidates.filter((c) => c.candidate.external_id === externalId);
      assert.equal(records.length, 1, 'exactly one record in Greenhouse');
      assert.equal(state.candidate_id, records[0].id);
    }));

  it('reads the items a database of version 2 holds, with their sentences, as reasons', (t) =>
    withArtifacts(session, t.name, async () => {
      const capture = (name) => ({
        connection_id: 'c-gone',
        person: { external_id: `sprout-v2-${name}`, first_name: name, last_name: 'Version Two' },
        target: { kind: 'prospect', pool_id: 1 },
        target_label: 'Pool',
      });
      // As version 2 stored them: finished English sentences. Captured now, so that the retention
      // period (which counts from the capture) keeps them.
      const now = Date.now();
      const items = [
        { id: 'o900', seq: 900, capture: capture('Refused'), queued_at_ms: now, attempts: 1,
          state: { state: 'failed', message: "Greenhouse didn't accept some of the details.", next_step: 'Correct the highlighted fields and submit again.', fields: [], outcome_unknown: false } },
        { id: 'o901', seq: 901, capture: capture('Odd'), queued_at_ms: now + 1, attempts: 1,
          state: { state: 'failed', message: 'A sentence no reason matches.', next_step: 'It is shown as it is.', fields: [], outcome_unknown: false } },
      ];
      // No worker may hold the database while it is replaced by one version 2 wrote.
      const cdp = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.evaluate((items) => new Promise((ok, fail) => {
        const gone = indexedDB.deleteDatabase('sprout');
        gone.onerror = () => fail(gone.error);
        gone.onsuccess = () => {
          const open = indexedDB.open('sprout', 2);
          open.onupgradeneeded = () => {
            for (const store of ['outbox', 'ledger', 'catalog', 'settings', 'kept']) open.result.createObjectStore(store);
          };
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('outbox', 'readwrite');
            for (const item of items) tx.objectStore('outbox').put(item, item.id);
            tx.oncomplete = () => { db.close(); ok(); };
            tx.onerror = () => fail(tx.error);
          };
        };
      }), items);

      const listed = answerOf(await send({ type: 'list_outbox' })).items;
      const stateOf = (id) => listed.find((i) => i.id === id)?.state;
      assert.deepEqual(stateOf('o900').problem, { kind: 'validation' }, JSON.stringify(listed));
      assert.deepEqual(stateOf('o901').problem, { kind: 'legacy', message: 'A sentence no reason matches.', next_step: 'It is shown as it is.' });
      const version = await page.evaluate(() => new Promise((ok) => {
        const open = indexedDB.open('sprout');
        open.onsuccess = () => { ok(open.result.version); open.result.close(); };
      }));
      assert.equal(version, 3, 'the background upgraded the database');

      // The popup words the reason in the browser's language, and shows legacy words as they are.
      const popup = await session.extensionPage('popup.html');
      await popup.waitForSelector('[data-testid=outbox-item-o901]');
      const words = (id) => popup.$eval(`[data-testid=outbox-item-${id}]`, (e) => e.textContent);
      assert.match(await words('o900'), /Greenhouse didn't accept some of the details\.Correct the highlighted fields and submit again\./);
      assert.match(await words('o901'), /A sentence no reason matches\.It is shown as it is\./);
      await popup.close();
    }));
});
