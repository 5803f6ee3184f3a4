//! Layer 2, integer encodings: golden bytes and strictness (`int_golden`), properties
//! (`int_props`), cross-checks against prost, integer-encoding, itoa and Python
//! (`int_crosscheck`), and the fast paths against byte-loop references (`int_fast`).
//!
//! `int_fast` runs without features (`.ci/run` runs this binary that way too); the others need
//! an allocator (`IntEncoding::encode` appends to a `Vec`) and run with `alloc`.

#[cfg(feature = "alloc")]
mod int_crosscheck;
mod int_fast;
#[cfg(feature = "alloc")]
mod int_golden;
#[cfg(feature = "alloc")]
mod int_props;
