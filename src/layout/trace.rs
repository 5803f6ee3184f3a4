//! `Layout::of`: the layout of a serde type, from the record layer's type tracer
//! (`record::trace`) with a sink that turns each primitive into a `struct` code.

use super::Layout;
use super::parse::Builder;
use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;
use crate::record::Config;
use crate::record::path::{Seg, render};
use crate::record::trace::{self, Prim, Sink};

/// Nesting deeper than this is refused (a type that contains itself through a `Box` would
/// otherwise recurse forever).
const MAX_DEPTH: usize = 64;
/// More fields than this are refused (nested arrays multiply quickly).
const MAX_FIELDS: usize = 1 << 16;

pub(crate) fn layout_of<T: serde::de::DeserializeOwned>() -> Result<Layout> {
    // The record layer's default encoding, which is a `!` format.
    let config = Config::new().with_max_depth(MAX_DEPTH);
    let (_, fields) = trace::trace::<T, _, Fields>(config, Fields::default)?;
    let mut builder = Builder::new(Endian::Big, false);
    for entry in fields.entries {
        let name = entry.name.clone();
        builder
            .push(entry.code, entry.count, entry.name)
            .map_err(|reason| {
                // Only an overflow can fail here; every traced code exists in `!`.
                let e = Error::new(ErrorKind::Unsupported { what: reason });
                match name {
                    Some(n) => e.with_field(n),
                    None => e,
                }
            })?;
    }
    Ok(builder.finish())
}

struct Entry {
    code: u8,
    count: usize,
    name: Option<Box<str>>,
}

/// The fields met, as `struct` codes with their paths.
#[derive(Default)]
struct Fields {
    entries: Vec<Entry>,
}

/// The `struct` code of a primitive in a `!` format.
fn code(prim: Prim) -> core::result::Result<u8, ErrorKind> {
    Ok(match prim {
        Prim::Bool => b'?',
        Prim::Int { bytes, signed } => match (bytes, signed) {
            (1, true) => b'b',
            (1, false) => b'B',
            (2, true) => b'h',
            (2, false) => b'H',
            (4, true) => b'i',
            (4, false) => b'I',
            (8, true) => b'q',
            (8, false) => b'Q',
            (_, true) => {
                return Err(ErrorKind::Unsupported {
                    what: "i128 (no struct code)",
                });
            }
            (_, false) => {
                return Err(ErrorKind::Unsupported {
                    what: "u128 (no struct code)",
                });
            }
        },
        Prim::Float { bytes: 4 } => b'f',
        Prim::Float { .. } => b'd',
    })
}

impl Sink for Fields {
    /// An enum's size depends on its variant, and `struct` has no code for the index anyway.
    const ENUMS: bool = false;

    fn primitive(&mut self, prim: Prim, path: &[Seg]) -> core::result::Result<(), ErrorKind> {
        if self.entries.len() >= MAX_FIELDS {
            return Err(ErrorKind::LengthLimit {
                offset: 0,
                len: self.entries.len() as u64 + 1,
                limit: MAX_FIELDS as u64,
            });
        }
        self.entries.push(Entry {
            code: code(prim)?,
            count: 1,
            name: render(path).map(String::into_boxed_str),
        });
        Ok(())
    }

    fn start_seq(&mut self) -> usize {
        self.entries.len()
    }

    /// A tuple or array of `u8` is a byte string: `[u8; 4]` is `4s`.
    fn end_seq(&mut self, start: usize, len: usize, named: bool, path: &[Seg]) {
        let traced = &self.entries[start..];
        if !named && len > 0 && traced.len() == len && traced.iter().all(|e| e.code == b'B') {
            self.entries.truncate(start);
            self.entries.push(Entry {
                code: b's',
                count: len,
                name: render(path).map(String::into_boxed_str),
            });
        }
    }
}
