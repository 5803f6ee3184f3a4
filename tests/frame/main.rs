//! Layer 4a, framing without I/O: golden bytes, properties and cross-checks against tokio-util
//! and prost (`frame`), and the bad-input catalogue of framing and transport
//! (`bad_input_frame`).

mod bad_input_frame;
mod frame;
mod length_delimited;
