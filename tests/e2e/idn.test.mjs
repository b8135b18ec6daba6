// The shipped wasm reads internationalized hosts as the url crate did with its own Unicode tables,
// now left out of it (sprout::url_parse hands such hosts to the browser's URL parser): the
// extractor's wasm, run in each browser on tests/fixtures/idn/hosts.html, finds the links that
// tests/extract_fixtures.rs expects of the native build; the background's wasm takes and refuses
// attachment addresses as the native core's test of the same list does.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, messenger, answerOf } from './harness.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/idn');
const html = readFileSync(join(FIXTURES, 'hosts.html'), 'utf8');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'hosts.json'), 'utf8'));
const attachments = JSON.parse(readFileSync(join(FIXTURES, 'attachments.json'), 'utf8'));

// The seed dialect takes several attachment links, so each address is judged on its own.
const sandbox = await startSandbox(['--dialect', 'seed']);
after(() => sandbox.stop());

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`internationalized hosts in ${browserName}`, () => {
    let session;
    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
    });
    after(() => session?.close());

    it("reads a page's links as the native extractor does", (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await session.extensionPage('options.html');
        // The view as the content reader hands it over; popup.js loads the extractor the same way.
        const view = { type: 'page_view', url: expected.url, title: 'Jana', html, html_len: html.length, timings: { serialize_ms: 0 } };
        const profile = await page.evaluate(async (v) => {
          const glue = await import('./pkg/sprout_extractor.js');
          await glue.default();
          return glue.extract_page(v).profile;
        }, view);
        const got = { profile_url: profile.profile_url, external_id: profile.external_id, links: profile.links.map((l) => l.value) };
        const { url, ...want } = expected;
        assert.deepEqual(got, want);
      }));

    it('takes and refuses attachment addresses as the native core does', (t) =>
      withArtifacts(session, t.name, async () => {
        const page = await session.extensionPage('options.html');
        const send = messenger(page);
        const saved = answerOf(await send({
          type: 'save_connection',
          connection: { caption: 'IDN', api_base_url: sandbox.api, dialect: sandbox.dialect, auth: { mode: 'partner_key', on_behalf_of: 'recruiter@sprout.test' } },
          secret: 'sandbox-partner-key',
        }));
        const connectionId = saved.connections.find((c) => c.connection.caption === 'IDN').connection.id;
        // One capture with every address and an email that cannot be one, so it is always
        // refused and the refusal names each address the background would not send.
        const reply = await send({
          type: 'submit',
          capture: {
            connection_id: connectionId,
            person: {
              external_id: 'sprout-idn-hosts',
              first_name: 'Jana',
              last_name: 'Müller',
              emails: [{ type: 'personal', value: 'not an address' }],
              attachments: attachments.map((a) => ({ type: 'resume', url: a.url })),
            },
            target: { kind: 'prospect', pool_id: 1 },
            target_label: 'Pool',
          },
        });
        const answer = answerOf(reply);
        assert.equal(answer.type, 'invalid', JSON.stringify(reply));
        const refused = Object.fromEntries(answer.errors.map((e) => [e.field, e.message]));
        assert.ok(refused['emails[0].value'], JSON.stringify(reply));
        const got = attachments.map((a, i) => ({ url: a.url, refusal: refused[`attachments[${i}]`] ?? null }));
        assert.deepEqual(got, attachments);
      }));
  });
}
