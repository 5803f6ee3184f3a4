//! [`FixedRecord`] for what a derived record is made of: integers and floats (from the one
//! primitive table), `bool`, zero-sized types, arrays and tuples.

use super::FixedRecord;
use crate::error::{Error, ErrorKind, Result};
use crate::record::describe::{Describe, Seg};

/// Integers and floats, from the one primitive table ([`crate::order::primitives`]):
/// `to_be_bytes`/`from_be_bytes`; every byte pattern is valid.
macro_rules! fixed_numbers {
    ($($kind:ident: $(($t:ident, $bytes:literal, $($rest:tt)*))*;)*) => {$($(
        impl FixedRecord for $t {
            fixed_numbers!(@write_all $t);
            const SIZE: usize = $bytes;
            #[inline]
            fn __describe(d: &mut dyn Describe) {
                d.primitive(struct_code(stringify!($kind), $bytes), $bytes);
            }
            #[inline(always)]
            fn __write(&self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_be_bytes());
            }
            #[inline(always)]
            fn __read(bytes: &[u8]) -> Self {
                let mut raw = [0u8; $bytes];
                raw.copy_from_slice(bytes);
                <$t>::from_be_bytes(raw)
            }
        }
    )*)*};
    // An array of bytes is one copy (see `FixedRecord::__write_all`).
    (@write_all u8) => {
        #[inline(always)]
        fn __write_all(values: &[u8], out: &mut [u8]) {
            out.copy_from_slice(values);
        }
        const __BYTE: bool = true;
    };
    (@write_all $t:ident) => {};
}

crate::order::primitives!(fixed_numbers);

/// The `struct` code of a number of the primitive table's `kind` and width in a `!` format
/// (`0` where there is none: 16-byte integers).
const fn struct_code(kind: &str, bytes: usize) -> u8 {
    match (kind.as_bytes()[0], bytes) {
        (b'u', 1) => b'B',
        (b'u', 2) => b'H',
        (b'u', 4) => b'I',
        (b'u', 8) => b'Q',
        (b's', 1) => b'b',
        (b's', 2) => b'h',
        (b's', 4) => b'i',
        (b's', 8) => b'q',
        (b'f', 4) => b'f',
        (b'f', 8) => b'd',
        _ => 0,
    }
}

impl FixedRecord for bool {
    const SIZE: usize = 1;
    #[inline]
    fn __describe(d: &mut dyn Describe) {
        d.primitive(b'?', 1);
    }
    #[inline(always)]
    fn __write(&self, out: &mut [u8]) {
        out[0] = u8::from(*self);
    }
    #[inline(always)]
    fn __is_valid(bytes: &[u8]) -> bool {
        bytes[0] <= 1
    }
    #[inline(always)]
    fn __validate(bytes: &[u8], offset: usize) -> Result<()> {
        match bytes[0] {
            0 | 1 => Ok(()),
            byte => Err(invalid_bool(offset, byte)),
        }
    }
    #[inline(always)]
    fn __read(bytes: &[u8]) -> Self {
        bytes[0] != 0
    }
}

#[cold]
fn invalid_bool(offset: usize, byte: u8) -> Error {
    Error::new(ErrorKind::InvalidBool { offset, byte })
}

/// Types of no bytes: nothing to write or read, and (the trait's defaults) nothing to check.
macro_rules! fixed_zero_sized {
    ($($(#[$doc:meta])* [$($generics:tt)*] $t:ty => $value:expr;)*) => {$(
        $(#[$doc])*
        impl<$($generics)*> FixedRecord for $t {
            const SIZE: usize = 0;
            #[inline]
            fn __describe(_d: &mut dyn Describe) {}
            #[inline(always)]
            fn __write(&self, _out: &mut [u8]) {}
            #[inline(always)]
            fn __read(_bytes: &[u8]) -> Self {
                $value
            }
        }
    )*};
}

fixed_zero_sized! {
    [] () => ();
    /// No bytes, as serde writes it (a unit struct): for a struct generic over a lifetime or a
    /// type that it does not hold.
    ///
    /// ```
    /// use core::marker::PhantomData;
    /// use netorder::record::{FixedRecord, fixed};
    ///
    /// #[derive(FixedRecord, Debug)]
    /// struct Tagged<'a, Unit> { value: u32, unit: PhantomData<&'a Unit> }
    ///
    /// assert_eq!(Tagged::<'static, ()>::SIZE, 4);
    /// let t: Tagged<'_, ()> = fixed::from_bytes(&[0, 0, 0, 7])?;
    /// assert_eq!(t.value, 7);
    /// assert!(fixed::from_bytes::<Tagged<'_, ()>>(&[0, 0, 7]).unwrap_err().is_incomplete());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    [T: ?Sized] core::marker::PhantomData<T> => core::marker::PhantomData;
}

impl<T: FixedRecord, const N: usize> FixedRecord for [T; N] {
    const SIZE: usize = T::SIZE * N;
    #[inline]
    fn __write(&self, out: &mut [u8]) {
        T::__write_all(self, out);
    }
    #[inline]
    fn __is_valid(bytes: &[u8]) -> bool {
        T::SIZE == 0
            || bytes
                .chunks_exact(T::SIZE)
                .fold(true, |ok, e| ok & T::__is_valid(e))
    }
    #[inline]
    fn __validate(bytes: &[u8], offset: usize) -> Result<()> {
        if T::SIZE == 0 {
            return Ok(());
        }
        for (i, element) in bytes.chunks_exact(T::SIZE).enumerate() {
            if let Err(e) = T::__validate(element, offset + i * T::SIZE) {
                return Err(crate::__private::in_index(e, i));
            }
        }
        Ok(())
    }
    #[inline]
    fn __read(bytes: &[u8]) -> Self {
        core::array::from_fn(|i| T::__read(&bytes[i * T::SIZE..(i + 1) * T::SIZE]))
    }
    const __FALLIBLE: bool = T::__FALLIBLE;
    #[inline]
    fn __check(&self) -> Result<()> {
        if T::__FALLIBLE {
            for (i, element) in self.iter().enumerate() {
                if let Err(e) = element.__check() {
                    return Err(crate::__private::in_index(e, i));
                }
            }
        }
        Ok(())
    }
    fn __describe(d: &mut dyn Describe) {
        if T::__BYTE {
            return d.bytes(N);
        }
        for i in 0..N {
            if d.full() {
                return;
            }
            d.enter(Seg::Index(i));
            T::__describe(d);
            d.leave();
        }
    }
}

/// Tuples: the elements in order; an error's path gets the element's `[index]`.
macro_rules! fixed_tuples {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<$($t: FixedRecord),+> FixedRecord for ($($t,)+) {
            const SIZE: usize = 0 $(+ $t::SIZE)+;
            #[inline]
            fn __write(&self, out: &mut [u8]) {
                let mut at = 0;
                $(
                    let end = at + $t::SIZE;
                    self.$i.__write(&mut out[at..end]);
                    at = end;
                )+
                let _ = at;
            }
            #[inline]
            fn __is_valid(bytes: &[u8]) -> bool {
                let mut at = 0;
                let mut ok = true;
                $(
                    let end = at + $t::SIZE;
                    ok &= $t::__is_valid(&bytes[at..end]);
                    at = end;
                )+
                let _ = at;
                ok
            }
            #[inline]
            fn __validate(bytes: &[u8], offset: usize) -> Result<()> {
                let mut at = 0;
                $(
                    let end = at + $t::SIZE;
                    if let Err(e) = $t::__validate(&bytes[at..end], offset + at) {
                        return Err(crate::__private::in_index(e, $i));
                    }
                    at = end;
                )+
                let _ = at;
                Ok(())
            }
            const __FALLIBLE: bool = false $(|| $t::__FALLIBLE)+;
            #[inline]
            fn __check(&self) -> Result<()> {
                $(
                    if $t::__FALLIBLE {
                        if let Err(e) = self.$i.__check() {
                            return Err(crate::__private::in_index(e, $i));
                        }
                    }
                )+
                Ok(())
            }
            fn __describe(d: &mut dyn Describe) {
                $(
                    d.enter(Seg::Index($i));
                    $t::__describe(d);
                    d.leave();
                )+
            }
            #[inline]
            fn __read(bytes: &[u8]) -> Self {
                let mut at = 0;
                let value = ($({
                    let end = at + $t::SIZE;
                    let element = $t::__read(&bytes[at..end]);
                    at = end;
                    element
                },)+);
                let _ = at;
                value
            }
        }
    )*};
}

fixed_tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}
