//! The two ways to authenticate to the Partner API, as the headers each one puts on a request.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Credentials for one request.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// An OAuth access token; the user is implied by the token.
    Bearer { access_token: String },
    /// The organisation's Partner API key, acting for the Greenhouse user with this exact email.
    Basic { api_key: String, on_behalf_of: String },
}

// Secrets stay out of logs and panic messages.
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Bearer { .. } => f.write_str("Auth::Bearer(..)"),
            Auth::Basic { on_behalf_of, .. } => write!(f, "Auth::Basic(.., {on_behalf_of})"),
        }
    }
}

impl Auth {
    pub fn bearer(access_token: impl Into<String>) -> Self {
        Auth::Bearer {
            access_token: access_token.into(),
        }
    }

    pub fn basic(api_key: impl Into<String>, on_behalf_of: impl Into<String>) -> Self {
        Auth::Basic {
            api_key: api_key.into(),
            on_behalf_of: on_behalf_of.into(),
        }
    }

    /// `Authorization` (and, for Basic, `On-Behalf-Of`) headers.
    pub fn headers(&self) -> Vec<(String, String)> {
        match self {
            Auth::Bearer { access_token } => {
                vec![("Authorization".into(), format!("Bearer {access_token}"))]
            }
            Auth::Basic {
                api_key,
                on_behalf_of,
            } => {
                // The key is the username and the password is empty, hence the trailing colon.
                let token = STANDARD.encode(format!("{api_key}:"));
                vec![
                    ("Authorization".into(), format!("Basic {token}")),
                    ("On-Behalf-Of".into(), on_behalf_of.clone()),
                ]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_uses_the_key_as_username_with_an_empty_password() {
        let h = Auth::basic("k3y", "ada@example.com").headers();
        assert_eq!(h[0].1, format!("Basic {}", STANDARD.encode("k3y:")));
        assert_eq!(h[1], ("On-Behalf-Of".into(), "ada@example.com".into()));
    }

    #[test]
    fn bearer_sends_only_the_token_and_debug_hides_it() {
        let a = Auth::bearer("s3cret");
        assert_eq!(
            a.headers(),
            vec![("Authorization".into(), "Bearer s3cret".into())]
        );
        assert!(!format!("{a:?}").contains("s3cret"));
    }
}
