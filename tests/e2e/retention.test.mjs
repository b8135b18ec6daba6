// What this browser knows of people is not kept forever: real browsers, the built extension, a
// real sprout-sandbox on 127.0.0.1. A delivered capture leaves a ledger entry; an entry older than
// the period set on the options page goes when it is saved, and "forget everything" (with its typed
// confirmation) empties the ledger and the finished outbox items.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, messenger, optionsTab, fill, indexedDbStore, answerOf } from './harness.mjs';

const DAY_MS = 24 * 60 * 60 * 1000;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

/** Calls `read` until `done(value)` holds (a state, not a time), and returns the last value. */
async function until(read, done, what) {
  let value;
  for (let i = 0; i < 300; i++) {
    value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  assert.fail(`${what}: still ${JSON.stringify(value)}`);
}

/** Puts one ledger entry straight into the extension's IndexedDB, as an older delivery left it. */
const plantLedgerEntry = (page, entry) =>
  page.evaluate((entry) => new Promise((ok, fail) => {
    const open = indexedDB.open('sprout');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('ledger', 'readwrite');
      tx.objectStore('ledger').put([entry], [entry.connection_id, entry.external_id]);
      tx.oncomplete = () => { db.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
  }), entry);

for (const [browserName, dir] of [
  ['chromium', 'dist/dev/chrome'],
  ['firefox', 'dist/dev/firefox'],
]) {
  describe(`retention in ${browserName}`, { timeout: 180_000 }, () => {
    let session;
    let sandbox;
    let page;
    const send = (m) => messenger(page)(m);

    before(async () => {
      session = await launch(browserName, join(ROOT, dir));
      page = await optionsTab(session);
      sandbox = await startSandbox(['--dialect', 'seed', '--redirect-uri', await page.evaluate(() => chrome.identity.getRedirectURL())]);
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    it('forgets ledger entries past the period when it is saved, and everything when asked', (t) =>
      withArtifacts(session, t.name, async () => {
        const { connectionId, pools } = await keyConnection(page, sandbox);
        const queued = answerOf(await send({
          type: 'submit',
          capture: {
            connection_id: connectionId,
            person: { external_id: 'sprout-retention-new', first_name: 'Ada', last_name: 'Lovelace' },
            target: { kind: 'prospect', pool_id: pools[0].id, stage_id: pools[0].stages?.[0]?.id },
            target_label: pools[0].name,
          },
        }));
        assert.equal(queued.type, 'queued', JSON.stringify(queued));
        await until(
          async () => answerOf(await send({ type: 'list_outbox' })).items.find((i) => i.id === queued.item.id)?.state,
          (s) => s?.state === 'delivered',
          'the capture is delivered',
        );
        await plantLedgerEntry(page, {
          connection_id: connectionId,
          external_id: 'sprout-retention-old',
          candidate_id: 1,
          name: 'Grace Hopper',
          link: `${sandbox.origin}/people/1`,
          target_label: pools[0].name,
          at_ms: Date.now() - 40 * DAY_MS,
        });
        const people = async () => JSON.parse(await indexedDbStore(page, 'ledger')).map(([[, externalId]]) => externalId).sort();
        assert.deepEqual(await people(), ['sprout-retention-new', 'sprout-retention-old']);

        await page.waitForSelector('[data-testid="retention-days"]');
        await fill(page, '[data-testid="retention-days"]', '30');
        await page.click('[data-testid="retention-save"]');
        const kept = await until(people, (p) => p.length === 1, 'the 40-day-old entry goes under a 30-day period');
        assert.deepEqual(kept, ['sprout-retention-new']);

        // Without the word, nothing goes.
        await fill(page, '[data-testid="forget-confirmation"]', 'forget');
        await page.click('[data-testid="forget-everything"]');
        await page.waitForFunction(() => !document.querySelector('[data-testid="forget-everything"]').disabled);
        assert.deepEqual(await people(), ['sprout-retention-new']);

        await fill(page, '[data-testid="forget-confirmation"]', 'FORGET');
        await page.click('[data-testid="forget-everything"]');
        await until(people, (p) => p.length === 0, 'forget everything empties the ledger');
        const items = answerOf(await send({ type: 'list_outbox' })).items;
        assert.deepEqual(items, [], 'and the finished outbox items');
        t.diagnostic(`[${browserName}] after 30 days: ${JSON.stringify(kept)}; after FORGET: ledger empty, outbox ${items.length} items`);
      }));
  });
}
