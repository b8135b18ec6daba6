// Firefox's sign-in window opens this page for a sign-in through a relay and it goes on to the
// authorize page carried in its fragment (see oauth::window_url in the core): Firefox refuses an
// authorize URL whose redirect_uri is not the extension's own redirect URL. Only http(s) leaves.
const to = new URL(decodeURIComponent(location.hash.slice(1).replace(/\+/g, ' ')));
if (to.protocol === 'https:' || to.protocol === 'http:') location.replace(to.href);
