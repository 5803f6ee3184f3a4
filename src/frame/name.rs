//! A framing's text form, the command line's `--framing`: [`Framing`]'s `FromStr` and
//! `Display`, and [`Framing::from_name`].
//!
//! ```text
//! framing   = base [ "+" checksum ]
//! base      = "fixed:" N | "u16" | "u32" | "varint"            the original four
//!           | "u" BITS [ "be" | "le" ] { "," option }          a general length field
//!           | "lines" | "crlf" | "delim:" HEX                  delimited frames
//! BITS      = 8 | 16 | 24 | 32 | 40 | 48 | 56 | 64            (the field's width in bits)
//! option    = "offset=" N | "adjust=" [-]N | "skip=" N         (tokio-util's length_field_offset,
//!                                                               length_adjustment, num_skip)
//! checksum  = "crc32c" | "crc32" | "internet"                  (as the build's features allow)
//! ```
//!
//! `u16` and `u32` alone are [`Framing::U16`] and [`Framing::U32`]; with a byte order or an
//! option (`u16be`, `u32,adjust=-4`) they are general length fields, whose bytes are the same
//! for the same settings. The maximum frame length is not part of the text (a parsed framing
//! has the default, 16 MiB).

#[cfg(feature = "alloc")]
use super::{Checksum, DEFAULT_MAX_FRAME_LEN};
use super::{Framing, FramingKind, LengthField};
#[cfg(feature = "alloc")]
use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::fmt;
#[cfg(feature = "alloc")]
use core::str::FromStr;

/// What [`Framing`]'s `FromStr` and [`Framing::from_name`] accept, for their error.
#[cfg(feature = "alloc")]
const FRAMING_NAMES: &str = "fixed:N, u16, u32, varint, uBITS[be|le][,offset=N][,adjust=N][,skip=N] \
     with BITS 8 to 64, lines, crlf, delim:HEX; each with an optional +crc32c, +crc32 or +internet";

#[cfg(feature = "alloc")]
impl Framing {
    /// The framing called `name` (as on the command line: see [`Framing`]'s `FromStr`), with
    /// `fixed_len` as the frame length of `fixed` (also `fixed+crc32c` and the like). Other
    /// names are [`ErrorKind::BadFraming`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Checksum, Framing}};
    ///
    /// assert_eq!(Framing::from_name("varint", 12)?, Framing::VARINT);
    /// assert_eq!(Framing::from_name("fixed", 12)?, Framing::fixed(12));
    /// assert_eq!(
    ///     Framing::from_name("fixed+internet", 12)?,
    ///     Framing::fixed(12).with_checksum(Checksum::Internet),
    /// );
    /// let err = Framing::from_name("u12", 12).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::BadFraming { .. }));
    /// assert!(err.to_string().starts_with("bad framing `u12` (accepted: fixed:N, u16"), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn from_name(name: &str, fixed_len: usize) -> Result<Framing> {
        let (base, checksum) = split_checksum(name)?;
        let framing = match base {
            "fixed" => Framing::fixed(fixed_len),
            other => parse_base(other).ok_or_else(|| bad(name))??,
        };
        Ok(match checksum {
            Some(c) => framing.with_checksum(c),
            None => framing,
        })
    }
}

#[cfg(feature = "alloc")]
impl FromStr for Framing {
    type Err = Error;

    /// The text form (see [`Framing::from_name`] and the README's "On the command line"): `u16`, `u32`, `varint`, `fixed:N`
    /// (`fixed` alone lacks its length: see [`Framing::from_name`]), `u24le`,
    /// `u16,offset=1,adjust=-3`, `lines`, `crlf`, `delim:00`, each with an optional
    /// `+crc32c`/`+crc32`/`+internet`. Anything else is [`ErrorKind::BadFraming`]; an option
    /// the length field cannot take is [`Framing::length_delimited`]'s error.
    ///
    /// ```
    /// use netorder::frame::{Checksum, Framing};
    /// let f: Framing = "u24le,adjust=-3+internet".parse()?;
    /// let built = Framing::length_delimited()
    ///     .length_field_length(3).little_endian().length_adjustment(-3).build()?
    ///     .with_max_frame_len(netorder::frame::DEFAULT_MAX_FRAME_LEN)
    ///     .with_checksum(Checksum::Internet);
    /// assert_eq!(f, built);
    /// assert_eq!(f.to_string(), "u24le,adjust=-3+internet");
    /// assert!("u24xx".parse::<Framing>().is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Framing> {
        let (base, checksum) = split_checksum(s)?;
        let framing = parse_base(base).ok_or_else(|| bad(s))??;
        Ok(match checksum {
            Some(c) => framing.with_checksum(c),
            None => framing,
        })
    }
}

#[cfg(feature = "alloc")]
#[cold]
fn bad(name: &str) -> Error {
    Error::new(ErrorKind::BadFraming {
        name: name.into(),
        accepted: FRAMING_NAMES,
    })
}

/// `base+checksum` split; a checksum name this build lacks is an error.
#[cfg(feature = "alloc")]
fn split_checksum(s: &str) -> Result<(&str, Option<Checksum>)> {
    match s.split_once('+') {
        None => Ok((s, None)),
        Some((base, name)) => match Checksum::from_name(name) {
            Some(c) => Ok((base, Some(c))),
            None => Err(bad(s)),
        },
    }
}

/// The framing without its checksum: `None` for a name that is none of the forms, `Some(Err)`
/// for a length field the builder refuses.
#[cfg(feature = "alloc")]
fn parse_base(s: &str) -> Option<Result<Framing>> {
    Some(Ok(match s {
        "u16" => Framing::U16,
        "u32" => Framing::U32,
        "varint" => Framing::VARINT,
        "lines" => Framing::LINES,
        "crlf" => return Some(Framing::delimited(b"\r\n")),
        _ => {
            if let Some(n) = s.strip_prefix("fixed:") {
                Framing::fixed(n.parse().ok()?)
            } else if let Some(hex) = s.strip_prefix("delim:") {
                return Some(Framing::delimited(&parse_hex(hex)?));
            } else {
                return parse_length_field(s);
            }
        }
    }))
}

#[cfg(feature = "alloc")]
fn parse_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// `uBITS[be|le][,option=value]...`
#[cfg(feature = "alloc")]
fn parse_length_field(s: &str) -> Option<Result<Framing>> {
    let mut parts = s.split(',');
    let head = parts.next()?.strip_prefix('u')?;
    let (bits, big) = if let Some(b) = head.strip_suffix("be") {
        (b, true)
    } else if let Some(b) = head.strip_suffix("le") {
        (b, false)
    } else {
        (head, true)
    };
    if !bits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bits: usize = bits.parse().ok()?;
    if bits == 0 || bits % 8 != 0 || bits > 64 {
        return None;
    }
    let mut builder = Framing::length_delimited()
        .length_field_length(bits / 8)
        .max_frame_length(DEFAULT_MAX_FRAME_LEN);
    builder = if big {
        builder.big_endian()
    } else {
        builder.little_endian()
    };
    for option in parts {
        let (key, value) = option.split_once('=')?;
        builder = match key {
            "offset" => builder.length_field_offset(value.parse().ok()?),
            "adjust" => builder.length_adjustment(value.parse().ok()?),
            "skip" => builder.num_skip(value.parse().ok()?),
            _ => return None,
        };
    }
    Some(builder.build())
}

impl fmt::Display for Framing {
    /// The text form (without the maximum frame length), which `FromStr` reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FramingKind::Fixed(n) => write!(f, "fixed:{n}")?,
            FramingKind::U16 => f.write_str("u16")?,
            FramingKind::U32 => f.write_str("u32")?,
            FramingKind::Varint => f.write_str("varint")?,
            FramingKind::LengthField(field) => write_length_field(f, &field)?,
            FramingKind::Delimited(d) => match d.as_bytes() {
                b"\n" => f.write_str("lines")?,
                b"\r\n" => f.write_str("crlf")?,
                bytes => {
                    f.write_str("delim:")?;
                    for b in bytes {
                        write!(f, "{b:02x}")?;
                    }
                }
            },
        }
        if let Some(c) = self.checksum {
            write!(f, "+{}", c.name())?;
        }
        Ok(())
    }
}

fn write_length_field(f: &mut fmt::Formatter<'_>, field: &LengthField) -> fmt::Result {
    let order = if field.is_big_endian() { "be" } else { "le" };
    write!(f, "u{}{order}", field.length_field_length() * 8)?;
    let offset = field.length_field_offset();
    if offset != 0 {
        write!(f, ",offset={offset}")?;
    }
    if field.length_adjustment() != 0 {
        write!(f, ",adjust={}", field.length_adjustment())?;
    }
    if field.num_skip() != offset + field.length_field_length() {
        write!(f, ",skip={}", field.num_skip())?;
    }
    Ok(())
}
