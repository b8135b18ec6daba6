//! Greenhouse Partner API: request building, response interpretation, errors, retry policy; transport is a trait.
