// The background entry: every listener is registered synchronously at start (an MV3 worker can be
// woken by any of them and forgets everything when stopped), and each awaits the wasm inside.
import init, { connect, handle_message, outbox_alarm, start, wake } from './pkg/sprout_background.js';

const ready = init().then(() => start());
const api = globalThis.browser ?? globalThis.chrome;

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready
    .then(() => handle_message(message, sender, api.runtime.id, api.runtime.getURL('')))
    .then(sendResponse)
    .catch((e) => sendResponse({ type: 'refused', reason: `background failed: ${e}` }));
  return true; // the answer comes asynchronously
});

// An open popup follows the outbox through a port: the wasm checks who opened it, keeps it, and
// posts the outbox on connect and after every change. A stopped worker closes the port; the popup
// opens another, which wakes the worker.
api.runtime.onConnect.addListener((port) => {
  ready.then(() => connect(port, api.runtime.id, api.runtime.getURL('')));
});

// The outbox's alarm (an item waiting to be tried again) and a browser start both deliver what is due.
// The alarm's name lives in the wasm (delivery.rs), which the listener can only ask once it is loaded.
api.alarms.onAlarm.addListener((alarm) => {
  ready.then(() => {
    if (alarm.name === outbox_alarm()) return wake();
  });
});
api.runtime.onStartup.addListener(() => ready.then(() => wake()));

api.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') api.runtime.openOptionsPage();
});
