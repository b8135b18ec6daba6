//! The OAuth `state` Sprout sends when it signs in through sprout-relay: `NONCE.TARGET`, TARGET being
//! the base64url (no padding) of the redirect URL the relay must send the browser back to.
//!
//! The extension makes it and compares the whole state when the browser comes back; the relay only
//! reads TARGET (and checks it against its allow-list). base64url has no `.`, so the split is exact.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longer than any state Sprout makes (a 43-character nonce and a short redirect URL); a cap so
/// that nobody can make the relay decode megabytes.
pub const MAX_STATE_LEN: usize = 2048;

/// The parameter by which sprout-relay names itself (its `--public-url`) in the answer it sends
/// back to the extension: a relayed sign-in is taken only from the relay the connection names.
pub const RELAY_PARAM: &str = "sprout_relay";

/// A decoded relay state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayState {
    pub nonce: String,
    /// Exactly as the extension wrote it: not yet parsed or checked.
    pub target: String,
}

/// Why a state is not a relay state, worded for the person who sees the relay's error page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayStateError {
    #[error("the state is longer than {MAX_STATE_LEN} characters")]
    TooLong,
    #[error("the state has no \".\" between its nonce and its target")]
    NoSeparator,
    #[error("the state's nonce is empty or not base64url")]
    BadNonce,
    #[error("the state's target is not base64url without padding")]
    NotBase64,
    #[error("the state's target does not decode to text")]
    NotText,
}

/// `NONCE.TARGET` for a nonce (e.g. [`crate::oauth::new_state`]) and the redirect URL.
pub fn encode(nonce: &str, target: &str) -> String {
    format!("{nonce}.{}", URL_SAFE_NO_PAD.encode(target))
}

/// Splits and decodes a state made by [`encode`].
pub fn decode(state: &str) -> Result<RelayState, RelayStateError> {
    if state.len() > MAX_STATE_LEN {
        return Err(RelayStateError::TooLong);
    }
    let (nonce, target) = state.split_once('.').ok_or(RelayStateError::NoSeparator)?;
    let base64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if nonce.is_empty() || !base64url(nonce) {
        return Err(RelayStateError::BadNonce);
    }
    // The strict engine refuses padding, a second ".", and stray trailing bits.
    let bytes = URL_SAFE_NO_PAD
        .decode(target)
        .map_err(|_| RelayStateError::NotBase64)?;
    let target = String::from_utf8(bytes).map_err(|_| RelayStateError::NotText)?;
    Ok(RelayState {
        nonce: nonce.to_owned(),
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let state = encode("n0nce_-", "https://abc.chromiumapp.org/c/1f2e");
        assert!(!state.contains('='), "no padding: {state}");
        assert_eq!(
            decode(&state),
            Ok(RelayState {
                nonce: "n0nce_-".into(),
                target: "https://abc.chromiumapp.org/c/1f2e".into()
            })
        );
    }

    #[test]
    fn malformed_states_are_refused() {
        let target = URL_SAFE_NO_PAD.encode("https://abc.chromiumapp.org/");
        assert_eq!(decode("just-a-nonce"), Err(RelayStateError::NoSeparator));
        assert_eq!(decode(&format!(".{target}")), Err(RelayStateError::BadNonce));
        assert_eq!(decode(&format!("n+n.{target}")), Err(RelayStateError::BadNonce));
        assert_eq!(decode("n.aHR0cHM6Ly9h="), Err(RelayStateError::NotBase64));
        assert_eq!(decode(&format!("n.{target}.x")), Err(RelayStateError::NotBase64));
        assert_eq!(decode("n.aHR0cHM6Ly9h%2F"), Err(RelayStateError::NotBase64));
        // Standard base64's "+" and "/" are not base64url.
        assert_eq!(decode("n.+/8"), Err(RelayStateError::NotBase64));
        assert_eq!(
            decode(&format!("n.{}", URL_SAFE_NO_PAD.encode([0xff, 0xfe]))),
            Err(RelayStateError::NotText)
        );
        let long = encode("n", &"a".repeat(MAX_STATE_LEN));
        assert_eq!(decode(&long), Err(RelayStateError::TooLong));
    }
}
