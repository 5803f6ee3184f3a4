use super::*;
use crate::ErrorKind;
use core::cell::Cell;

/// Writes `sizes[n]` bytes of `0xab` on its `n`-th call (then fails): a `Serialize` impl
/// that does not write the same thing twice, to exercise `to_vec`'s count-then-write.
struct Fickle {
    calls: Cell<usize>,
    sizes: &'static [usize],
}

impl Serialize for Fickle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeTuple};
        let n = self.calls.get();
        self.calls.set(n + 1);
        let Some(&size) = self.sizes.get(n) else {
            return Err(S::Error::custom("called too often"));
        };
        let mut t = s.serialize_tuple(size)?;
        for _ in 0..size {
            t.serialize_element(&0xabu8)?;
        }
        t.end()
    }
}

fn fickle(sizes: &'static [usize]) -> Fickle {
    Fickle {
        calls: Cell::new(0),
        sizes,
    }
}

#[test]
fn to_vec_writes_into_the_counted_size() {
    // Counted 2, then tried to write 5: the buffer was allocated at the counted size.
    let err = to_vec(&fickle(&[2, 5])).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BufferTooSmall {
            needed: 3,
            available: 2
        }
    );
    assert_eq!(err.field(), Some("[2]"));
    // Counted 5, wrote 1: what was written is kept.
    assert_eq!(to_vec(&fickle(&[5, 1])).unwrap(), [0xab]);
    // Counted, then failed while writing: that error comes back.
    let err = to_vec(&fickle(&[3])).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Message("called too often".into()));
}

#[test]
fn to_vec_matches_to_slice_in_every_mode() {
    let value = (0x0102u16, -3i32, true, [9u8; 3], "hi", Some(7u64), 2.5f32);
    for config in [
        Config::new(),
        Config::new().little_endian(),
        Config::new().varint(),
        Config::new().ascii_fixed(),
    ] {
        let v = config.to_vec(&value).unwrap();
        assert_eq!(v.capacity(), v.len());
        let mut buf = [0u8; 128];
        let n = config.to_slice(&value, &mut buf).unwrap();
        assert_eq!(v, buf[..n], "{config:?}");
        assert_eq!(
            config
                .from_bytes::<(u16, i32, bool, [u8; 3], &str, Option<u64>, f32)>(&v)
                .unwrap(),
            value
        );
    }
}

#[test]
fn to_vec_errors_keep_their_field_paths() {
    #[derive(Serialize)]
    struct Outer<'a> {
        id: u8,
        items: [&'a [u8]; 2],
    }
    let value = Outer {
        id: 1,
        items: [&[1], &[1, 2, 3]],
    };
    let err = Config::new().with_max_len(2).to_vec(&value).unwrap_err();
    assert_eq!(
        err.kind(),
        // id (1 byte), items[0] (8-byte length, 1 byte): items[1]'s length is at 10.
        &ErrorKind::LengthLimit {
            offset: 10,
            len: 3,
            limit: 2
        }
    );
    assert_eq!(err.field(), Some("items[1]"));
}
