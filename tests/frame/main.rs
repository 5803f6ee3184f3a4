//! Layer 4a, framing without I/O: golden bytes, properties and cross-checks against tokio-util
//! and prost (`frame`), and the bad-input catalogue of framing and transport
//! (`bad_input_frame`); general length fields against tokio-util's `LengthDelimitedCodec`
//! (`length_delimited`); delimiters against `AnyDelimiterCodec`/`LinesCodec`, and checksum
//! trailers (`delimited_checksum`, with the features `crc32c` and `crc32`).

mod bad_input_frame;
#[cfg(all(feature = "crc32c", feature = "crc32"))]
mod delimited_checksum;
mod frame;
mod length_delimited;
