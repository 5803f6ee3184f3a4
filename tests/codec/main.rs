//! Layer 4d, the integrations: records into and out of `bytes` buffers (`buf`, feature
//! `bytes`) and the tokio codecs (`tokio_codec`, feature `tokio`).

mod buf;
mod tokio_codec;
