// The outbox survives the service worker being stopped mid-delivery: real Chromium, the built
// extension, a real sprout-sandbox on 127.0.0.1. The create is held up by the sandbox, the worker
// is stopped through the DevTools protocol while it waits, and the worker woken again must find
// the record by look-up rather than send it a second time.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, messenger } from './harness.mjs';

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

      const queued = await send({
        type: 'submit',
        capture: {
          connection_id: connectionId,
          person: { external_id: externalId, first_name: 'Ada', last_name: 'Lovelace' },
          target: { kind: 'prospect', pool_id: pools[0].id },
          target_label: pools[0].name,
        },
      });
      assert.equal(queued.type, 'queued', JSON.stringify(queued));
      const id = queued.item.id;
      const stateOf = async () => (await send({ type: 'list_outbox' })).items.find((i) => i.id === id)?.state;
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
});
