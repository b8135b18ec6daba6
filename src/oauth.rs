//! OAuth 2.0 authorization code + PKCE maths: verifier/challenge, state, authorize URL, redirects, tokens, expiry.
