// Sign-in per recruiter, end to end: the built extension in real Chromium and Firefox ESR against a
// real sprout-sandbox on 127.0.0.1 (OAuth consent page, token endpoint, Partner API). Covers
// Allow, Deny, a forged state, refresh on expiry, a revoked sign-in, sign-out, Partner-key mode,
// the DELETE confirmation, and refusals of a web page and a content script.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, ARTIFACTS, serveFolder, launch, withArtifacts, startSandbox, registerCallback, optionsTab, connectSandbox, fill,
} from './harness.mjs';

const CHROME_REDIRECT = 'https://jjjcfnfnfkngedhnbehkjnjbepfmlakg.chromiumapp.org/';
const RECRUITER = 'recruiter@sprout.test';
const SECOND = 'basic@sprout.test';
const API_KEY = 'sandbox-partner-key';

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });
const pages = await serveFolder(join(ROOT, 'tests/e2e/pages'));
after(() => pages.close());

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`sign-in in ${browserName}`, { timeout: 240_000 }, () => {
    let session;
    let sandbox;
    let redirect;
    const shots = join(ARTIFACTS, `signin-${browserName}`);

    let options;
    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
      // One options tab for the whole suite: in Firefox it is the tab the extension opened on
      // install, used as it is, because moving it to its own URL reloads it under the test's feet.
      options = await optionsTab(session);
      redirect = await options.evaluate(() => chrome.identity.getRedirectURL());
      sandbox = await startSandbox(['--redirect-uri', redirect, '--token-ttl', '2']);
      mkdirSync(shots, { recursive: true });
    });
    after(async () => {
      sandbox?.stop();
      await session?.close();
    });

    const optionsPage = async () => {
      await options.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 15000 });
      return options;
    };
    const shot = async (page, name) => {
      await page.bringToFront();
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    };
    const notice = (page) => page.$eval('[data-testid=notice]', (e) => e.textContent);
    /** Clicks, then waits until the page is no longer busy with the background. */
    const act = async (page, selector) => {
      await page.click(selector);
      await page.waitForFunction(() => !document.querySelector('[data-testid=add]').disabled, { timeout: 30000 });
    };
    const stateOf = (page, caption) =>
      page.$$eval('[data-testid=connection]', (rows, c) => {
        const r = rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c);
        return r ? r.querySelector('[data-testid=state]').textContent : null;
      }, caption);
    /** Clicks a button in the row of the connection named `caption`. */
    const clickIn = async (page, caption, testid) => {
      const id = await page.$$eval('[data-testid=connection]', (rows, c) =>
        rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c)?.dataset.id, caption);
      assert.ok(id, `a connection named ${caption}`);
      return `[data-id="${id}"] [data-testid=${testid}]`;
    };
    const sessionStore = (page) => page.evaluate(() => chrome.storage.session.get(null));
    const localStore = (page) => page.evaluate(() => chrome.storage.local.get(null));

    async function addOAuth(page, caption) {
      await page.click('[data-testid=add]');
      await page.waitForSelector('#client-id');
      await fill(page, '#caption', caption);
      await fill(page, '#api-base-url', sandbox.api);
      await fill(page, '#client-id', 'sprout-extension');
      await fill(page, '#authorize-url', `${sandbox.origin}/oauth/authorize`);
      await fill(page, '#token-url', `${sandbox.origin}/oauth/token`);
      await act(page, '[data-testid=save]');
      assert.equal(await notice(page), 'Connection saved.');
      // Each connection signs in on its own path, registered as an administrator would.
      const callback = await registerCallback(page, sandbox, caption);
      assert.ok(callback.startsWith(`${redirect}c/`), callback);
    }

    /** Starts sign-in, then acts on the sandbox's consent page in the window the browser opened. */
    async function signIn(page, caption, { decision = 'allow', user = RECRUITER, forgeState = false } = {}) {
      const button = await clickIn(page, caption, 'sign-in');
      await page.click(button);
      let consent;
      for (let i = 0; i < 80 && !consent; i++) {
        for (const p of await session.browser.pages()) {
          const href = await p.evaluate(() => location.href).catch(() => '');
          if (href.startsWith(`${sandbox.origin}/oauth/authorize`)) consent = p;
        }
        if (!consent) await sleep(250);
      }
      assert.ok(consent, 'the consent page opened');
      await consent.waitForSelector('#allow');
      await consent.select('#user', user);
      if (forgeState) await consent.$eval('input[name=state]', (e) => (e.value = 'forged-by-an-attacker'));
      await consent.click(`#${decision}`);
      await page.waitForFunction(() => !document.querySelector('[data-testid=add]').disabled, { timeout: 30000 });
    }

    it('shows the exact redirect URL to register', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        await page.waitForFunction(() => document.querySelector('[data-testid=redirect-url]').textContent !== '');
        const shown = await page.$eval('[data-testid=redirect-url]', (e) => e.textContent);
        assert.equal(shown, redirect);
        if (browserName === 'chromium') assert.equal(shown, CHROME_REDIRECT);
        else assert.match(shown, /^https:\/\/[0-9a-f]+\.extensions\.allizom\.org\/$/);
        await shot(page, '1-no-connections');
      }));

    it('signs in through the consent page and shows who is signed in', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        await addOAuth(page, 'Sandbox');
        assert.equal(await stateOf(page, 'Sandbox'), 'Signed out');
        await shot(page, '2-signed-out');
        await signIn(page, 'Sandbox');
        assert.equal(await notice(page), 'Signed in.');
        const me = await sandbox.user(RECRUITER);
        assert.equal(await stateOf(page, 'Sandbox'), `Signed in as ${me.name} <${RECRUITER}>`);
        await shot(page, '3-signed-in');
        // Tokens live in session storage only; the settings in local storage carry no secret.
        const secrets = JSON.stringify(await sessionStore(page));
        assert.match(secrets, /"access_token":"[^"]+"/);
        assert.match(secrets, /"refresh_token":"[^"]+"/);
        assert.doesNotMatch(JSON.stringify(await localStore(page)), /access_token|refresh_token|"secret"/);
      }));

    it('refreshes an expired token before using it', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const before = JSON.stringify(await sessionStore(page)).match(/"access_token":"([^"]+)"/)[1];
        await sleep(2500); // the sandbox's tokens live 2 s
        await act(page, await clickIn(page, 'Sandbox', 'test'));
        assert.equal(await notice(page), 'The connection works.');
        const after = JSON.stringify(await sessionStore(page)).match(/"access_token":"([^"]+)"/)[1];
        assert.notEqual(after, before, 'a new access token came from the refresh grant');
        const { requests } = await sandbox.admin('state');
        assert.ok(requests.some((r) => r.path === '/v1/partner/current_user' && r.status === 200));
      }));

    it('asks to sign in again when Greenhouse revoked the sign-in', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const { revoked } = await sandbox.admin('revoke', { email: RECRUITER });
        assert.ok(revoked >= 1);
        await act(page, await clickIn(page, 'Sandbox', 'test'));
        assert.match(await notice(page), /sign-in has ended\. Click "Sign in" to sign in again/);
        assert.match(await stateOf(page, 'Sandbox'), /^Sign in again/);
        assert.doesNotMatch(JSON.stringify(await sessionStore(page)), /access_token/);
        await shot(page, '4-sign-in-again');
      }));

    it('reports Deny and a forged state without signing in', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        await signIn(page, 'Sandbox', { decision: 'deny' });
        assert.match(await notice(page), /^Sign-in was cancelled/);
        await shot(page, '5-denied');
        await signIn(page, 'Sandbox', { forgeState: true });
        assert.match(await notice(page), /did not belong to this sign-in/);
        assert.doesNotMatch(await stateOf(page, 'Sandbox'), /^Signed in/);
      }));

    it('signs two connections in as different users, then signs one out', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        await signIn(page, 'Sandbox');
        // Adding and signing in are the test above; the second connection is set up as the other suites do it.
        await connectSandbox(session, sandbox, { caption: 'Second customer', user: SECOND });
        // In Chromium the helper works in an options tab of its own: show what it saved in this one.
        if (browserName === 'chromium') await page.reload();
        await optionsPage();
        const second = await sandbox.user(SECOND);
        assert.equal(await stateOf(page, 'Second customer'), `Signed in as ${second.name} <${SECOND}>`);
        assert.match(await stateOf(page, 'Sandbox'), new RegExp(`<${RECRUITER}>$`));
        await shot(page, '6-two-connections');
        await act(page, await clickIn(page, 'Second customer', 'sign-out'));
        assert.equal(await notice(page), 'Signed out.');
        assert.equal(await stateOf(page, 'Second customer'), 'Signed out');
        assert.match(await stateOf(page, 'Sandbox'), /^Signed in as/);
      }));

    it('edits a connection without losing its sign-in', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const before = await stateOf(page, 'Sandbox');
        assert.match(before, /^Signed in as/);
        await page.click(await clickIn(page, 'Sandbox', 'edit'));
        await page.waitForSelector('#client-id');
        assert.equal(await page.$eval('#client-id', (e) => e.value), 'sprout-extension', 'the form shows the saved settings');
        await fill(page, '#caption', 'Sandbox, renamed');
        await act(page, '[data-testid=save]');
        assert.equal(await notice(page), 'Connection saved.');
        assert.equal(await stateOf(page, 'Sandbox'), null);
        assert.equal(await stateOf(page, 'Sandbox, renamed'), before);
      }));

    it('checks a Partner API key and the email on save', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const count = async () => (await page.$$('[data-testid=connection]')).length;
        const before = await count();
        const addKey = async (caption, email) => {
          await page.click('[data-testid=add]');
          await page.waitForSelector('#mode');
          await fill(page, '#caption', caption);
          await fill(page, '#mode', 'partner_key');
          await page.waitForSelector('#email');
          await fill(page, '#api-base-url', sandbox.api);
          await fill(page, '#email', email);
          await fill(page, '#secret', API_KEY);
          await act(page, '[data-testid=save]');
        };
        await addKey('Key, wrong email', 'nobody@sprout.test');
        assert.match(await notice(page), /did not accept this key together with nobody@sprout\.test/);
        assert.equal(await count(), before, 'nothing saved');
        await shot(page, '7-partner-key-mismatch');
        await page.click('[data-testid=cancel]');
        await addKey('Key', RECRUITER);
        assert.equal(await notice(page), 'Connection saved.');
        const me = await sandbox.user(RECRUITER);
        assert.equal(await stateOf(page, 'Key'), `Signed in as ${me.name} <${RECRUITER}>`);
        assert.match(JSON.stringify(await sessionStore(page)), new RegExp(`"secret":"${API_KEY}"`));
        assert.doesNotMatch(JSON.stringify(await localStore(page)), new RegExp(API_KEY));
      }));

    it('removes a connection only after DELETE is typed', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const input = await clickIn(page, 'Second customer', 'delete-confirmation');
        await fill(page, input, 'delete');
        await act(page, await clickIn(page, 'Second customer', 'remove'));
        assert.match(await notice(page), /Type DELETE/);
        assert.equal(await stateOf(page, 'Second customer'), 'Signed out');
        await fill(page, input, 'DELETE');
        await act(page, await clickIn(page, 'Second customer', 'remove'));
        assert.equal(await notice(page), 'Connection removed.');
        assert.equal(await stateOf(page, 'Second customer'), null);
        await shot(page, '8-removed');
      }));

    it('signs in to a private deployment with a client secret, kept out of local storage', (t) =>
      withArtifacts(session, t.name, async () => {
        const secret = `s3cret-${Date.now()}`;
        const privateServer = await startSandbox(['--client-secret', secret]);
        try {
          const page = await optionsPage();
          // Reached by keyboard alone: focus the button, press Enter.
          await page.focus('[data-testid=add]');
          await page.keyboard.press('Enter');
          await page.waitForSelector('#client-id');
          await fill(page, '#caption', 'Private');
          await fill(page, '#api-base-url', privateServer.api);
          await fill(page, '#client-id', 'sprout-extension');
          await fill(page, '#authorize-url', `${privateServer.origin}/oauth/authorize`);
          await fill(page, '#token-url', `${privateServer.origin}/oauth/token`);
          await act(page, '[data-testid=save]');
          await registerCallback(page, privateServer, 'Private');
          const origin = sandbox.origin;
          sandbox.origin = privateServer.origin; // signIn() looks for this server's consent page
          try {
            // Without the secret the token endpoint refuses the client.
            await signIn(page, 'Private');
            assert.match(await notice(page), /^Signing in to Greenhouse failed.*invalid_client/);
            await page.click(await clickIn(page, 'Private', 'edit'));
            await page.waitForSelector('#secret');
            await fill(page, '#secret', secret);
            await act(page, '[data-testid=save]');
            await signIn(page, 'Private');
          } finally {
            sandbox.origin = origin;
          }
          assert.equal(await notice(page), 'Signed in.');
          assert.match(await stateOf(page, 'Private'), new RegExp(`<${RECRUITER}>$`));
          assert.ok(JSON.stringify(await sessionStore(page)).includes(secret));
          assert.ok(!JSON.stringify(await localStore(page)).includes(secret));
        } finally {
          privateServer.stop();
        }
      }));

    it('refuses a web page and a content script that ask for sign-in or tokens', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const id = await page.$$eval('[data-testid=connection]', (rows) => rows[0].dataset.id);
        const { page: web, tabId } = await session.webPage(pages.url('hello.html'));
        // The web page itself: no way to reach the extension's messaging.
        const fromPage = await web.evaluate(async (extId, connection) => {
          try {
            if (!globalThis.chrome?.runtime?.sendMessage) return 'no messaging';
            return JSON.stringify(await chrome.runtime.sendMessage(extId, { type: 'sign_in', id: connection }));
          } catch (e) {
            return `error: ${e.message}`;
          }
        }, session.origin.split('://')[1], id);
        assert.ok(fromPage === 'no messaging' || fromPage.startsWith('error:'), fromPage);
        // A content script: carries the extension's id, so the background must refuse it itself.
        const probe = await session.extensionPage('options.html');
        const fromScript = await probe.evaluate(async (tab, connection) => {
          const [{ result }] = await chrome.scripting.executeScript({
            target: { tabId: tab },
            func: async (c) => {
              const out = {};
              for (const message of [{ type: 'sign_in', id: c }, { type: 'list_connections' }, { type: 'test_connection', id: c }]) {
                out[message.type] = await chrome.runtime.sendMessage(message);
              }
              try {
                out.session = JSON.stringify(await chrome.storage.session.get(null));
              } catch (e) {
                out.session = `error: ${e.message}`;
              }
              out.local = JSON.stringify(await chrome.storage.local.get(null));
              return out;
            },
            args: [connection],
          });
          return result;
        }, tabId, id);
        for (const type of ['sign_in', 'list_connections', 'test_connection']) {
          assert.equal(fromScript[type]?.type, 'refused', `${type}: ${JSON.stringify(fromScript[type])}`);
          assert.match(fromScript[type].reason.unserved.detail, /not one of this extension's pages/);
        }
        assert.ok(!fromScript.session.includes('access_token'), `session storage from a content script: ${fromScript.session}`);
        assert.doesNotMatch(fromScript.local, /access_token|refresh_token|"secret"|sandbox-partner-key/);
        const authorizeOpened = await Promise.all((await session.browser.pages()).map((p) => p.evaluate(() => location.href).catch(() => '')));
        assert.ok(!authorizeOpened.some((h) => h.includes('/oauth/authorize')), 'no sign-in window opened');
      }));

    it('lets the popup choose the connection captures go to', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await optionsPage();
        const ids = await page.$$eval('[data-testid=connection]', (rows) =>
          Object.fromEntries(rows.map((r) => [r.querySelector('[data-testid=caption]').textContent, r.dataset.id])));
        const popup = await session.extensionPage('popup.html');
        await popup.waitForSelector('[data-testid=active-connection]', { timeout: 15000 });
        const choices = await popup.$$eval('[data-testid=active-connection] option', (o) => o.map((e) => [e.value, e.textContent]));
        assert.deepEqual(choices.map(([v]) => v).sort(), Object.values(ids).sort());
        assert.ok(choices.some(([v, text]) => v === ids.Key && text === `Key (${RECRUITER})`), JSON.stringify(choices));
        const activeNow = await popup.evaluate(async () => (await chrome.storage.local.get('active_connection')).active_connection);
        assert.notEqual(activeNow, ids.Key, 'the first connection saved is the active one until another is chosen');
        await fill(popup, '[data-testid=active-connection]', ids.Key);
        await popup.waitForFunction(
          async (id) => (await chrome.storage.local.get('active_connection')).active_connection === id,
          { timeout: 10000 },
          ids.Key,
        );
      }));
  });
}
