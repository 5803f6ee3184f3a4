//! Layer 3, records: the serde path against bincode 2 and Python's `struct`
//! (`record_bincode`), its configurations (`record_config`), hostile input (`record_hostile`,
//! and the cross-layer bad-input catalogue of layers 1 to 3, `bad_input`), and the derive
//! path (`fixed_record`, and many records at once: `fixed_bulk`).
//!
//! `record_hostile` installs this binary's global allocator (it tracks each thread's largest
//! allocation).

mod bad_input;
mod bad_input_bits;
mod fixed_bulk;
mod fixed_record;
mod record_bincode;
mod record_config;
mod record_hostile;
