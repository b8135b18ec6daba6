// A sign-in that lasts: real Chromium closed and started again on the same profile, the built
// extension, a real sprout-sandbox (client secret required) behind a real sprout-relay. A capture
// queued while Greenhouse is unavailable goes out by itself after the restart, with no new
// sign-in; a connection that forgets its sign-in when the browser closes asks to sign in again,
// and its waiting capture is not lost. A create Chromium closed on is settled after the restart by
// the record it left, never by an older one under the same person.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, startRelay, fill, indexedDbStore, answerOf } from './harness.mjs';

const DIST = join(ROOT, 'dist/dev/chrome');
const RECRUITER = 'recruiter@sprout.test';
const API_KEY = 'sandbox-partner-key';
const CREATE = '/v1/partner/candidates';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '-p', 'sprout-relay'], { cwd: ROOT, stdio: 'inherit' });

describe('a sign-in across a Chromium restart', { timeout: 600_000 }, () => {
  const secret = `relay-s3cret-${process.pid}`;
  let session;
  let sandbox;
  let relay;
  let page;
  let pool;

  before(async () => {
    session = await launch('chromium', DIST);
    page = await session.extensionPage('options.html');
    const redirect = await page.evaluate(() => chrome.identity.getRedirectURL());
    // The seed contract: a 503 on the create is looked up, so the capture simply waits to be
    // tried again (in Greenhouse's dialect it would ask the recruiter instead).
    sandbox = await startSandbox(['--dialect', 'seed', '--client-secret', secret]);
    relay = await startRelay({
      tokenUrl: `${sandbox.origin}/oauth/token`, authorizeUrl: `${sandbox.origin}/oauth/authorize`, secret, allow: [redirect],
    });
    await sandbox.admin('redirect_uris', { uri: `${relay.origin}/callback` });
    [pool] = await fetch(`${sandbox.api}/prospect_pools`, {
      headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'on-behalf-of': RECRUITER },
    }).then((r) => r.json());
  });
  after(async () => {
    relay?.stop();
    sandbox?.stop();
    await session?.close();
  });

  const send = (m) => page.evaluate((m) => chrome.runtime.sendMessage(m), m);
  const idle = () => page.waitForFunction(() => !document.querySelector('[data-testid=add]').disabled, { timeout: 30000 });
  const notice = () => page.$eval('[data-testid=notice]', (e) => e.textContent);
  const row = (caption) => page.$$eval('[data-testid=connection]', (rows, c) => {
    const r = rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c);
    return r && { id: r.dataset.id, state: r.querySelector('[data-testid=state]').textContent };
  }, caption);
  const item = async (id) => answerOf(await send({ type: 'list_outbox' })).items.find((i) => i.id === id);
  /** Polls the outbox until the item is in a state `done` accepts; returns that item. */
  async function until(id, done) {
    for (;;) {
      const it = await item(id);
      if (done(it)) return it;
      await sleep(250);
    }
  }
  const requests = async () => (await sandbox.admin('state')).requests;

  /** Closes Chromium, runs `whileClosed`, and starts it again on the same profile; the options page is open again. */
  async function restart(whileClosed = async () => {}) {
    const profile = session.profile;
    await session.close();
    await whileClosed();
    session = await launch('chromium', DIST, { profile });
    page = await session.extensionPage('options.html');
    await page.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 15000 });
  }

  async function addRelayed(caption, { forget = false } = {}) {
    await page.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 15000 });
    await page.click('[data-testid=add]');
    await page.waitForSelector('#client-id');
    await fill(page, '#caption', caption);
    await fill(page, '#api-base-url', sandbox.api);
    await fill(page, '#dialect', sandbox.dialect);
    await fill(page, '#client-id', 'sprout-extension');
    await fill(page, '#authorize-url', `${sandbox.origin}/oauth/authorize`);
    await fill(page, '#relay', relay.origin);
    if (forget) await page.click('[data-testid=forget-on-close]');
    await page.click('[data-testid=save]');
    await idle();
    assert.equal(await notice(), 'Connection saved.');
  }

  async function signIn(caption) {
    const before = (await requests()).length;
    await page.click(`[data-id="${(await row(caption)).id}"] [data-testid=sign-in]`);
    let consent;
    while (!consent) {
      for (const p of await session.browser.pages()) {
        const href = await p.evaluate(() => location.href).catch(() => '');
        if (href.startsWith(`${sandbox.origin}/oauth/authorize`)) consent = p;
      }
      if (!consent) await sleep(250);
    }
    await consent.waitForSelector('#allow');
    await consent.select('#user', RECRUITER);
    await consent.click('#allow');
    await idle();
    assert.equal(await notice(), 'Signed in.');
    assert.ok((await requests()).slice(before).some((r) => r.path === '/oauth/authorize'));
  }

  /** Queues a capture for the connection while every create is answered 503; resolves once it waits to be tried again. */
  async function queueWhileUnavailable(connectionId, externalId) {
    await sandbox.admin('faults', { path: CREATE, method: 'POST', count: 1000, fault: { type: 'status', status: 503 } });
    const queued = answerOf(await send({
      type: 'submit',
      capture: {
        connection_id: connectionId,
        person: { external_id: externalId, first_name: 'Ada', last_name: `Lovelace ${externalId}` },
        target: { kind: 'prospect', pool_id: pool.id },
        target_label: pool.name,
      },
    }));
    assert.equal(queued.type, 'queued', JSON.stringify(queued));
    const waiting = await until(queued.item.id, (i) => i.state.state === 'queued' && i.attempts >= 1 && i.state.note);
    assert.equal(waiting.state.note.kind, 'retrying', JSON.stringify(waiting.state.note));
    return queued.item.id;
  }

  const partner = { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'on-behalf-of': RECRUITER };
  /** Creates a record of Ada under `externalId` straight through the Partner API; resolves to its id. */
  async function createDirectly(externalId, lastName) {
    const response = await fetch(`${sandbox.api}/candidates`, {
      method: 'POST',
      headers: { ...partner, 'content-type': 'application/json' },
      body: JSON.stringify({ external_id: externalId, first_name: 'Ada', last_name: lastName, prospect: { prospect_pool_id: pool.id } }),
    });
    const body = await response.json();
    assert.equal(response.status, 201, JSON.stringify(body));
    return body.id;
  }
  const recordsOf = async (externalId) =>
    (await sandbox.admin('state')).candidates.filter((c) => c.candidate.external_id === externalId).map((c) => c.id);

  let lostCreates;
  /** A Partner-key connection (kept across a restart), saved once. */
  async function keyConnection() {
    if (lostCreates) return lostCreates;
    const saved = answerOf(await send({
      type: 'save_connection',
      connection: { caption: 'Lost creates', api_base_url: sandbox.api, dialect: sandbox.dialect, auth: { mode: 'partner_key', on_behalf_of: RECRUITER } },
      secret: API_KEY,
    }));
    lostCreates = saved.connections.find((c) => c.connection.caption === 'Lost creates').connection.id;
    return lostCreates;
  }

  /**
   * Submits Ada under `externalId`; the sandbox holds the create back for good. Once the create
   * is there (after the worker listed who was already under her), Chromium is closed with the
   * item in flight, `whileClosed` runs, and Chromium starts again. Resolves to the item's end.
   */
  async function closeMidCreate(externalId, whileClosed) {
    await sandbox.admin('faults', null, 'DELETE');
    await sandbox.admin('faults', { path: CREATE, method: 'POST', count: 1, fault: { type: 'delay', ms: 3_600_000 } });
    const queued = answerOf(await send({
      type: 'submit',
      capture: {
        connection_id: await keyConnection(),
        person: { external_id: externalId, first_name: 'Ada', last_name: 'Lovelace' },
        target: { kind: 'prospect', pool_id: pool.id },
        target_label: pool.name,
      },
    }));
    assert.equal(queued.type, 'queued', JSON.stringify(queued));
    // The delay fault is taken when the create arrives.
    while ((await sandbox.admin('state')).faults.length > 0) await sleep(100);
    assert.equal((await item(queued.item.id)).state.state, 'sending', 'the create is in flight');
    await restart(whileClosed);
    return until(queued.item.id, (i) => ['delivered', 'failed'].includes(i?.state.state));
  }

  it('after Chromium closed mid-create, an older record under the same person is not taken for that create', (t) =>
    withArtifacts(session, t.name, async () => {
      const externalId = 'restart-lost-older';
      const older = await createDirectly(externalId, 'Older');
      const done = await closeMidCreate(externalId, async () => {});
      assert.equal(done.state.state, 'delivered', JSON.stringify(done));
      assert.notEqual(done.state.candidate_id, older, `record ${older} was there before this submit`);
      assert.equal(done.state.confirmed_by_lookup, false, JSON.stringify(done));
      assert.deepEqual(await recordsOf(externalId), [older, done.state.candidate_id], 'sent again, as nothing of it had landed');
      console.log(`lost create, older record ${older}: the item became ${done.state.state} as candidate ${done.state.candidate_id} ` +
        `(confirmed by look-up: ${done.state.confirmed_by_lookup})`);
    }));

  it('after Chromium closed mid-create, the record that create left is its outcome, and nothing is sent again', (t) =>
    withArtifacts(session, t.name, async () => {
      const externalId = 'restart-lost-landed';
      const older = await createDirectly(externalId, 'Older');
      let landed;
      // While Chromium is closed, the held-back create lands: a record the worker's list did not have.
      const done = await closeMidCreate(externalId, async () => {
        landed = await createDirectly(externalId, 'Lovelace');
      });
      assert.equal(done.state.state, 'delivered', JSON.stringify(done));
      assert.equal(done.state.candidate_id, landed);
      assert.equal(done.state.confirmed_by_lookup, true, JSON.stringify(done));
      assert.deepEqual(await recordsOf(externalId), [older, landed], 'no second create');
      console.log(`lost create that landed as ${landed} beside older ${older}: the item became ${done.state.state} as candidate ` +
        `${done.state.candidate_id} (confirmed by look-up: ${done.state.confirmed_by_lookup})`);
    }));

  it('stays signed in after a restart and delivers what waited, with no new sign-in', (t) =>
    withArtifacts(session, t.name, async () => {
      await addRelayed('Kept');
      await signIn('Kept');
      const { id } = await row('Kept');
      const signedInAs = (await row('Kept')).state;
      assert.match(signedInAs, /^Signed in as/);
      const itemId = await queueWhileUnavailable(id, 'restart-kept');
      assert.match(await indexedDbStore(page, 'kept'), /"refresh_token":"[^"]+"/);

      await restart();
      // Greenhouse is reachable again; the browser came back with an empty session.
      await sandbox.admin('faults', null, 'DELETE');
      const mark = (await requests()).length;
      assert.equal(JSON.stringify(await page.evaluate(() => chrome.storage.session.get(null))).includes('access_token'), false,
        'the restart emptied session storage: what follows comes from the kept sign-in');
      assert.equal((await row('Kept')).state, signedInAs, 'still signed in after the restart');

      const delivered = await until(itemId, (i) => i.state.state === 'delivered' || i.state.state === 'failed');
      assert.equal(delivered.state.state, 'delivered', JSON.stringify(delivered));
      const after = (await requests()).slice(mark);
      assert.ok(after.some((r) => r.path === '/oauth/token' && r.status === 200), 'a refresh through the relay');
      assert.ok(!after.some((r) => r.path === '/oauth/authorize'), 'no new sign-in');
      assert.ok(after.some((r) => r.path === CREATE && r.status < 300), 'the create went out');
      const { candidates } = await sandbox.admin('state');
      assert.equal(candidates.filter((c) => c.sent.external_id === 'restart-kept').length, 1);
      console.log(`after the restart: "${(await row('Kept')).state}"; the waiting capture became ${delivered.state.state} ` +
        `(candidate ${delivered.state.candidate_id}); sandbox requests since: ${after.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
    }));

  it('with "forget my sign-in when the browser closes", the restart asks to sign in and nothing is lost', (t) =>
    withArtifacts(session, t.name, async () => {
      await addRelayed('Shared', { forget: true });
      await signIn('Shared');
      const { id } = await row('Shared');
      // A Partner API key follows the same rule as a sign-in: kept, here.
      const saved = await send({
        type: 'save_connection',
        connection: { caption: 'Key', api_base_url: sandbox.api, dialect: sandbox.dialect, auth: { mode: 'partner_key', on_behalf_of: RECRUITER } },
        secret: API_KEY,
      });
      assert.equal(saved.type, 'answer', JSON.stringify(saved));
      const itemId = await queueWhileUnavailable(id, 'restart-shared');
      assert.doesNotMatch(await indexedDbStore(page, 'kept'), new RegExp(`\\["${id}"`), 'nothing kept for a connection that forgets');

      await restart();
      await sandbox.admin('faults', null, 'DELETE');
      assert.equal((await row('Shared')).state, 'Signed out', 'the shared computer forgot the sign-in');
      assert.match((await row('Kept')).state, /^Signed in as/);
      assert.match((await row('Key')).state, /^Signed in as/, 'the Partner API key was kept');
      await page.reload();
      await page.waitForSelector('[data-testid=connection]');
      const waiting = await until(itemId, (i) => i.state.state === 'queued' && i.state.note?.kind === 'not_ready');
      assert.deepEqual(waiting.state.note.why, { kind: 'signed_out' });

      await signIn('Shared');
      const delivered = await until(itemId, (i) => i.state.state === 'delivered' || i.state.state === 'failed');
      assert.equal(delivered.state.state, 'delivered', JSON.stringify(delivered));
      console.log(`forget on close: after the restart "Shared" was "Signed out", its capture waited (${JSON.stringify(waiting.state.note)}), ` +
        `and after signing in again it became ${delivered.state.state}`);

      // Signing out and removing delete the kept sign-in everywhere.
      const kept = await row('Kept');
      await page.click(`[data-id="${kept.id}"] [data-testid=sign-out]`);
      await idle();
      assert.doesNotMatch(await indexedDbStore(page, 'kept'), new RegExp(`\\["${kept.id}"`), 'signed out: nothing kept for it');
      await fill(page, `[data-id="${kept.id}"] [data-testid=delete-confirmation]`, 'DELETE');
      await page.click(`[data-id="${kept.id}"] [data-testid=remove]`);
      await idle();
      assert.equal(await row('Kept'), undefined);
      assert.doesNotMatch(await indexedDbStore(page, 'kept'), new RegExp(kept.id));
      assert.doesNotMatch(JSON.stringify(await page.evaluate(() => chrome.storage.session.get(null))), new RegExp(kept.id));
    }));
});
