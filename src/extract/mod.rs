//! Page HTML + URL -> Profile (value, source and confidence per field) -> PartnerCandidate.
