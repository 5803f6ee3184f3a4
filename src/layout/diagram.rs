//! RFC-style box diagrams of a layout ([`Layout::diagram`]), and the layout of a derived
//! record ([`Layout::of_fixed`]).

use super::Layout;
use super::parse::{BitWhat, Builder};
use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;
use crate::record::FixedRecord;
use crate::record::describe::{BitKind, Describe, Seg};
use crate::record::path;

/// Bits per row, as in the RFCs.
const ROW: usize = 32;

/// A field's box: its first bit, its width in bits, and its label.
struct Cell {
    start: usize,
    bits: usize,
    label: String,
}

impl Layout {
    /// The layout as an RFC-style box diagram: 32 bits to a row, each bit two characters wide,
    /// under the bit-number rows of RFC 791 section 3.1; `+-+-+` rules between rows, each
    /// field's name centred in its box (cut to fit a narrow one), a field wider than a row
    /// spanning several, its name on its middle row. A field without a name shows its code;
    /// padding is an empty box.
    ///
    /// ```
    /// use netorder::Layout;
    ///
    /// let udp = Layout::parse("!source_port:H destination_port:H length:H checksum:H")?;
    /// assert_eq!(udp.diagram(), "\
    /// \x200                   1                   2                   3
    /// \x200 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |          source_port          |        destination_port       |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |             length            |            checksum           |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// ");
    /// // An empty layout has no boxes.
    /// assert_eq!(Layout::parse("!")?.diagram(), "");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn diagram(&self) -> String {
        let total = self.size.saturating_mul(8);
        if total == 0 || self.size > Self::MAX_PACKED_SIZE {
            return String::new();
        }
        let cells = self.cells();
        // The cell of every bit (`usize::MAX`: none).
        let mut owner = vec![usize::MAX; total];
        for (i, c) in cells.iter().enumerate() {
            for b in owner.iter_mut().skip(c.start).take(c.bits) {
                *b = i;
            }
        }
        let rows = total.div_ceil(ROW);
        let width = total.min(ROW);
        let mut out = String::new();
        // Bit numbers.
        let tens: String = (0..width)
            .map(|i| {
                if i % 10 == 0 {
                    format!(" {}", i / 10)
                } else {
                    "  ".to_owned()
                }
            })
            .collect();
        out.push_str(tens.trim_end());
        out.push('\n');
        let ones: String = (0..width).map(|i| format!(" {}", i % 10)).collect();
        out.push_str(&ones);
        out.push('\n');
        let row_len = |r: usize| (total - r * ROW).min(ROW);
        let at = |r: usize, j: usize| -> Option<usize> {
            (r < rows && j < row_len(r)).then(|| owner[r * ROW + j])
        };
        for r in 0..=rows {
            // The rule above row r: a dash where the bit above and the bit below differ.
            let w = if r == rows {
                row_len(r - 1)
            } else if r == 0 {
                row_len(0)
            } else {
                row_len(r - 1).max(row_len(r))
            };
            let dash: Vec<bool> = (0..w)
                .map(|j| r == 0 || r == rows || at(r - 1, j) != at(r, j))
                .collect();
            let mut line = String::with_capacity(2 * w + 1);
            for j in 0..=w {
                let left = j > 0 && dash[j - 1];
                let right = j < w && dash[j];
                line.push(if j == 0 || j == w || left || right {
                    '+'
                } else {
                    ' '
                });
                if j < w {
                    line.push(if dash[j] { '-' } else { ' ' });
                }
            }
            out.push_str(&line);
            out.push('\n');
            if r == rows {
                break;
            }
            // The boxes of row r.
            let len = row_len(r);
            let mut line = String::from("|");
            let mut j = 0;
            while j < len {
                let cell = owner[r * ROW + j];
                let mut end = j;
                while end < len && owner[r * ROW + end] == cell {
                    end += 1;
                }
                let room = 2 * (end - j) - 1;
                let label = cells.get(cell).map_or("", |c| {
                    // The name goes on the middle row of a field's rows.
                    let first = c.start / ROW;
                    let last = (c.start + c.bits - 1) / ROW;
                    if r == first + (last - first) / 2 {
                        c.label.as_str()
                    } else {
                        ""
                    }
                });
                let label: String = label.chars().take(room).collect();
                let pad = room - label.chars().count();
                let left = pad.div_ceil(2);
                line.push_str(&" ".repeat(left));
                line.push_str(&label);
                line.push_str(&" ".repeat(pad - left));
                line.push('|');
                j = end;
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The boxes: every value-bearing field, and padding (without a label).
    fn cells(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        for item in &self.items {
            let label = |k: usize| match (&item.name, item.bits.is_some()) {
                (Some(n), _) => n.to_string(),
                (None, true) => String::new(),
                (None, false) if item.count > 1 && !matches!(item.code, b's' | b'p') => {
                    format!("{}[{k}]", item.code as char)
                }
                (None, false) => (item.code as char).to_string(),
            };
            if let Some(spec) = &item.bits {
                cells.push(Cell {
                    start: item.offset * 8 + spec.start as usize,
                    bits: spec.width as usize,
                    label: if item.code == b'x' {
                        String::new()
                    } else {
                        label(0)
                    },
                });
                continue;
            }
            if item.code == b'x' {
                cells.push(Cell {
                    start: item.offset * 8,
                    bits: item.count * 8,
                    label: String::new(),
                });
                continue;
            }
            let n = item.value_count();
            for k in 0..n {
                cells.push(Cell {
                    start: (item.offset + k * item.size) * 8,
                    bits: item.size * 8,
                    label: label(k),
                });
            }
        }
        cells
    }

    /// The layout of a record that derives [`FixedRecord`]: its fields by path, with their
    /// `struct` codes (`[u8; N]` is `Ns`), bit fields (`#[netorder(bits = N)]`) in groups, an
    /// enum bit field with its variants; big-endian, no padding. The same bytes as
    /// [`record::fixed`](crate::record::fixed) writes, so that [`Layout::pack`],
    /// [`Layout::explain`] and [`Layout::diagram`] work on the record. ([`Layout::of`] is the
    /// serde route.) A field with no `struct` code (`u128`, `i128`) is an error naming it.
    ///
    /// ```
    /// use netorder::{Layout, record::FixedRecord};
    ///
    /// #[derive(FixedRecord)]
    /// struct Header { #[netorder(bits = 4)] version: u8, #[netorder(bits = 4)] ihl: u8, ttl: u8 }
    ///
    /// let layout = Layout::of_fixed::<Header>()?;
    /// assert_eq!(layout.struct_format(), "!{version:4 ihl:4} ttl:B");
    /// assert_eq!(layout.size(), 2);
    /// assert!(layout.diagram().contains("|version|  ihl  |      ttl      |"));
    ///
    /// #[derive(FixedRecord)]
    /// struct Wide { id: u128 }
    /// let err = Layout::of_fixed::<Wide>().unwrap_err();
    /// assert_eq!(err.field(), Some("id"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn of_fixed<T: FixedRecord>() -> Result<Layout> {
        let mut sink = Sink {
            builder: Builder::new(Endian::Big, false),
            path: Vec::new(),
            error: None,
            fields: 0,
        };
        T::__describe(&mut sink);
        sink.close();
        if let Some(e) = sink.error {
            return Err(e);
        }
        Ok(sink.builder.finish())
    }
}

/// More fields than this are refused (nested arrays multiply quickly).
const MAX_FIELDS: usize = 1 << 16;

/// Builds a layout from a record's description.
struct Sink {
    builder: Builder,
    path: Vec<path::Seg>,
    error: Option<Error>,
    fields: usize,
}

impl Sink {
    fn name(&self) -> Option<Box<str>> {
        path::render(&self.path).map(String::into_boxed_str)
    }

    fn fail(&mut self, kind: ErrorKind) {
        if self.error.is_none() {
            let e = Error::new(kind);
            self.error = Some(match self.name() {
                Some(n) => e.with_field(n),
                None => e,
            });
        }
    }

    /// Closes an open group (before a field of whole bytes, and at the end).
    fn close(&mut self) {
        if self.builder.in_group() {
            if let Err(what) = self.builder.close_group() {
                self.fail(ErrorKind::Unsupported { what });
            }
        }
    }

    fn push(&mut self, code: u8, count: usize) {
        self.close();
        self.fields += 1;
        if self.fields > MAX_FIELDS {
            return self.fail(ErrorKind::LengthLimit {
                offset: 0,
                len: self.fields as u64,
                limit: MAX_FIELDS as u64,
            });
        }
        let name = self.name();
        if let Err(what) = self.builder.push(code, count, name) {
            self.fail(ErrorKind::Unsupported { what });
        }
    }
}

impl Describe for Sink {
    fn primitive(&mut self, code: u8, size: usize) {
        match code {
            0 if size == 16 => self.fail(ErrorKind::Unsupported {
                what: "a 16-byte integer (no struct code)",
            }),
            0 => self.fail(ErrorKind::Unsupported {
                what: "a number with no struct code",
            }),
            code => self.push(code, 1),
        }
    }

    fn bytes(&mut self, len: usize) {
        self.push(b's', len);
    }

    fn opaque(&mut self, size: usize) {
        self.push(b's', size);
    }

    fn bits(&mut self, bits: u32, kind: BitKind) {
        if !self.builder.in_group() {
            self.builder.open_group();
        }
        self.fields += 1;
        let what = match kind {
            BitKind::Bool => BitWhat::Bool,
            BitKind::Unsigned => BitWhat::Unsigned(None),
            BitKind::Enum(variants) => BitWhat::Unsigned(Some(
                variants
                    .iter()
                    .map(|(n, v)| (Box::<str>::from(*n), *v))
                    .collect(),
            )),
        };
        let name = self.name();
        if let Err(what) = self.builder.push_bits(bits, what, name) {
            self.fail(ErrorKind::Unsupported { what });
        }
    }

    fn enter(&mut self, seg: Seg) {
        self.path.push(match seg {
            Seg::Field(name) => path::Seg::Field(name),
            Seg::Index(i) => path::Seg::Index(i),
        });
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    fn full(&self) -> bool {
        self.error.is_some() || self.fields > MAX_FIELDS
    }
}
