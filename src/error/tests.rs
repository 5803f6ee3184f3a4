use super::*;
#[allow(unused_imports)] // in scope already with `alloc`
use crate::prelude::*;

/// With `alloc` an error is one pointer, so results stay small on the success path
/// (a regression here showed as the derived record decoder slowing by a third).
#[test]
#[cfg(feature = "alloc")]
fn an_error_is_one_pointer() {
    use core::mem::size_of;
    assert_eq!(size_of::<Error>(), size_of::<usize>());
    assert_eq!(size_of::<Result<usize, Error>>(), 2 * size_of::<usize>());
    assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
}

#[test]
fn incomplete_is_the_only_incomplete_kind() {
    let inc = Error::new(ErrorKind::Incomplete {
        offset: 0,
        needed: 4,
        available: 1,
    });
    assert!(inc.is_incomplete());
    assert_eq!(inc.needed_more(), Some(3));
    let trunc = Error::new(ErrorKind::Truncated {
        expected: 4,
        received: 1,
    });
    assert!(!trunc.is_incomplete());
    assert_eq!(trunc.needed_more(), None);
}

#[cfg(feature = "alloc")]
#[test]
fn display_names_numbers_and_field() {
    let e = Error::new(ErrorKind::Truncated {
        expected: 16,
        received: 5,
    })
    .with_field("hdr");
    assert_eq!(
        e.to_string(),
        "field `hdr`: truncated: expected 16 bytes, received 5 before the end"
    );
    let e = Error::new(ErrorKind::LengthLimit {
        offset: 2,
        len: u64::MAX,
        limit: 1 << 20,
    });
    assert_eq!(
        e.to_string(),
        format!("length {} at byte 2 is over the limit of 1048576", u64::MAX)
    );
}

#[test]
fn float_out_of_range_stays_short() {
    let e = |value| {
        ErrorKind::FloatOutOfRange {
            value,
            max: f32::MAX as f64,
        }
        .to_string()
    };
    assert_eq!(
        e(1e300),
        "value 1e300 out of range (largest finite value 3.4028234663852886e38)"
    );
    assert_eq!(
        e(65520.0),
        "value 65520 out of range (largest finite value 3.4028234663852886e38)"
    );
    assert_eq!(
        e(-3.4028235677973366e38),
        "value -3.4028235677973366e38 out of range (largest finite value 3.4028234663852886e38)"
    );
}

#[test]
fn offset_by_shifts_and_saturates() {
    let e = Error::new(ErrorKind::Overlong { offset: 2, len: 3 }).offset_by(5);
    assert_eq!(e.offset(), Some(7));
    let e = Error::new(ErrorKind::Overlong {
        offset: usize::MAX,
        len: 3,
    })
    .offset_by(5);
    assert_eq!(e.offset(), Some(usize::MAX));
    let e = Error::new(ErrorKind::BufferTooSmall {
        needed: 1,
        available: 0,
    })
    .offset_by(5);
    assert_eq!(e.offset(), None);
}

#[cfg(feature = "std")]
#[test]
fn io_errors_keep_kind_and_message() {
    let e: Error = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset").into();
    assert!(matches!(
        e.kind(),
        ErrorKind::Io {
            kind: std::io::ErrorKind::ConnectionReset,
            ..
        }
    ));
    assert_eq!(e.to_string(), "I/O error: reset");
}

#[cfg(feature = "std")]
#[test]
fn io_errors_keep_the_io_error_as_source() {
    use core::error::Error as _;
    use std::io;
    let inner = io::Error::other(Error::new(ErrorKind::LeadingZero { offset: 1 }));
    let e = Error::io(inner, "reading the record (expected 4 bytes, received 1)");
    assert_eq!(
        e.to_string(),
        "I/O error: reading the record (expected 4 bytes, received 1)"
    );
    let io = e.source().unwrap().downcast_ref::<io::Error>().unwrap();
    assert_eq!(io.kind(), io::ErrorKind::Other);
    // The chain goes on through the io::Error.
    assert_eq!(
        io.get_ref().unwrap().to_string(),
        "leading zero in number at byte 1 (not canonical)"
    );
    // Clone, and compared by kind, message, path and the I/O error's kind and message.
    let copy = e.clone();
    assert_eq!(copy, e);
    assert!(copy.source().is_some());
    let other = Error::io(
        io::Error::other("something else"),
        "reading the record (expected 4 bytes, received 1)",
    );
    assert_ne!(other, e);
    let plain = Error::new(e.kind().clone());
    assert_ne!(plain, e);
    assert!(plain.source().is_none());
}
