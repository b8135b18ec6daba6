//! `runtime`: messages to the background, the options page, what the running extension's own
//! manifest says, and ports, the long-lived connections between its contexts.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use wasm_bindgen::prelude::*;

use crate::{call, from_js, js_error, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = getManifest)]
    fn get_manifest() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    fn send_message(message: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = openOptionsPage)]
    fn open_options_page() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = connect)]
    fn runtime_connect(info: &JsValue) -> Result<Port, JsValue>;

    /// `runtime.Port`: one end of a connection opened with `runtime.connect`, handed to the other
    /// side's `runtime.onConnect`. It closes when either side's context goes away.
    #[derive(Clone, Debug)]
    pub type Port;
    #[wasm_bindgen(method, getter)]
    pub fn name(this: &Port) -> String;
    #[wasm_bindgen(method, getter)]
    fn sender(this: &Port) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    fn post_message(this: &Port, message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn disconnect(this: &Port) -> Result<(), JsValue>;
    #[wasm_bindgen(method, getter, js_name = onMessage)]
    fn on_message(this: &Port) -> Event;
    #[wasm_bindgen(method, getter, js_name = onDisconnect)]
    fn on_disconnect(this: &Port) -> Event;

    type Event;
    #[wasm_bindgen(method, js_name = addListener)]
    fn add_listener(this: &Event, listener: &JsValue);
}

/// The host permissions this build's manifest asks for at install.
pub fn manifest_host_permissions() -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Manifest {
        #[serde(default)]
        host_permissions: Vec<String>,
    }
    let manifest: Manifest = from_js(get_manifest().map_err(js_error)?)?;
    Ok(manifest.host_permissions)
}

/// Sends one message to the background; its answer comes back undecoded, for the caller to read as
/// the answer its message names.
pub async fn ask<M: Serialize>(message: &M) -> Result<JsValue, String> {
    call(send_message(&to_js(message)?)).await
}

/// Opens the extension's options page in a tab.
pub async fn open_options() -> Result<(), String> {
    call(open_options_page()).await.map(drop)
}

/// Opens a port named `name` to the background (waking it if it was stopped).
pub fn connect(name: &str) -> Result<Port, String> {
    #[derive(Serialize)]
    struct Info<'a> {
        name: &'a str,
    }
    runtime_connect(&to_js(&Info { name })?).map_err(js_error)
}

impl Port {
    /// Who opened the port (`runtime.MessageSender`), as the other side reports it.
    pub fn opened_by<T: DeserializeOwned>(&self) -> Result<T, String> {
        from_js(self.sender())
    }

    /// Sends one message; fails once the port is closed (the browser throws then).
    pub fn post<T: Serialize>(&self, message: &T) -> Result<(), String> {
        self.post_message(&to_js(message)?).map_err(js_error)
    }

    /// Closes the port; the other side hears `onDisconnect`. Firefox throws on a port already
    /// closed, which is closed all the same.
    pub fn close(&self) {
        let _ = self.disconnect();
    }

    /// Calls `listener` with each message that arrives, undecoded: the caller decodes it into its
    /// own closed type.
    pub fn on_each_message(&self, listener: impl FnMut(JsValue) + 'static) {
        // Owned by the port's listener list from here on, as long as the port lives.
        let listener = Closure::<dyn FnMut(JsValue)>::new(listener).into_js_value();
        self.on_message().add_listener(&listener);
    }

    /// Calls `listener` once, when the other side closes the port (or its context goes away).
    pub fn on_closed(&self, listener: impl FnOnce() + 'static) {
        self.on_disconnect()
            .add_listener(&Closure::once_into_js(listener));
    }
}
