//! Layer 3: serde records. (STUB: signatures fixed, bodies to be written.)
#![allow(missing_docs, unused_variables)]

use crate::error::Result;
use crate::order::Endian;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// How integers inside a record are written.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IntMode {
    #[default]
    Fixed,
    Varint,
    AsciiFixed,
}

/// Record configuration (const builder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub(crate) endian: Endian,
    pub(crate) ints: IntMode,
    pub(crate) max_len: usize,
    pub(crate) max_depth: usize,
}

impl Config {
    pub const fn new() -> Self {
        Config {
            endian: Endian::Big,
            ints: IntMode::Fixed,
            max_len: 1 << 20,
            max_depth: 128,
        }
    }
}
impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    todo!()
}
pub fn to_slice<T: Serialize + ?Sized>(value: &T, out: &mut [u8]) -> Result<usize> {
    todo!()
}
pub fn from_bytes<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T> {
    todo!()
}
pub fn record_size<T: DeserializeOwned>() -> Result<usize> {
    todo!()
}
pub fn to_vec_with<T: Serialize + ?Sized>(value: &T, config: Config) -> Result<Vec<u8>> {
    todo!()
}
pub fn from_bytes_with<'de, T: Deserialize<'de>>(bytes: &'de [u8], config: Config) -> Result<T> {
    todo!()
}
