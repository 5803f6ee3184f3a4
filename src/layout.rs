//! Layer 3: `Layout`, one schema from a Python struct format string or a serde type.
//! (STUB: signatures fixed, bodies to be written.)
#![allow(missing_docs, unused_variables)]

use crate::error::Result;

/// A dynamic value for `Layout::pack` / `unpack`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value { Int(i128), Bool(bool), Float(f64), Bytes(Vec<u8>) }

/// A record schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {}

impl Layout {
    pub fn parse(fmt: &str) -> Result<Layout> { todo!() }
    pub fn size(&self) -> usize { todo!() }
    pub fn pack(&self, values: &[Value]) -> Result<Vec<u8>> { todo!() }
    pub fn unpack(&self, bytes: &[u8]) -> Result<Vec<Value>> { todo!() }
}
