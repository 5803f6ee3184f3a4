//! Field paths in errors (`header.len`, `items[3].name`), built on the way out: an error raised
//! deep inside a record gets one segment prepended by every struct, sequence and variant it
//! passes through, so the success path pays nothing. Paths are text: without `alloc` there
//! are none (the byte offset still says where).

use super::fail::Fail as Error;
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// One step of a field path.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "alloc"), allow(dead_code))] // no paths without `alloc`
pub(crate) enum Seg {
    /// A struct field or an enum variant, by name.
    Field(&'static str),
    /// An element of a sequence, tuple, array or map, by position.
    Index(usize),
}

/// Prepends `seg` to the error's field path.
#[cold]
#[inline(never)]
#[cfg(feature = "alloc")]
pub(crate) fn in_field(err: Error, seg: Seg) -> Error {
    let path = join(seg, err.field());
    err.with_field(path)
}

/// Without `alloc`, errors carry no field path.
#[cfg(not(feature = "alloc"))]
#[inline(always)]
pub(crate) fn in_field(err: Error, _seg: Seg) -> Error {
    err
}

#[cfg(feature = "alloc")]
/// `seg` followed by `rest` (`items` + `[3].name` → `items[3].name`).
pub(crate) fn join(seg: Seg, rest: Option<&str>) -> String {
    let head = match seg {
        Seg::Field(name) => name.to_string(),
        Seg::Index(i) => format!("[{i}]"),
    };
    match rest {
        None => head,
        Some(r) if r.starts_with('[') => head + r,
        Some(r) => head + "." + r,
    }
}

#[cfg(feature = "alloc")]
/// The path of a stack of segments (outermost first).
pub(crate) fn render(segs: &[Seg]) -> Option<String> {
    segs.iter()
        .rev()
        .fold(None, |rest, &seg| Some(join(seg, rest.as_deref())))
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn paths_join_fields_and_indexes() {
        let e = Error::new(ErrorKind::InvalidBool { offset: 0, byte: 2 });
        let e = in_field(e, Seg::Field("name"));
        let e = in_field(e, Seg::Index(3));
        let e = in_field(e, Seg::Field("items"));
        assert_eq!(e.field(), Some("items[3].name"));
        assert_eq!(
            render(&[Seg::Field("a"), Seg::Index(0), Seg::Index(1)]).as_deref(),
            Some("a[0][1]")
        );
        assert_eq!(render(&[]), None);
    }
}
