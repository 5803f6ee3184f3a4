//! Layer 1, byte order: golden bytes, boundary tables, round trips and cross-checks (`order`),
//! and the bulk SIMD paths against a one-value-at-a-time reference (`order_simd`).
//!
//! Runs under every feature set, none included (`.ci/run` runs it without features).

mod order;
mod order_simd;
