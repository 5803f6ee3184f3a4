//! Shared support for the fuzz targets.
//!
//! Stable Rust has no sanitizer to stop a target that asks for a huge allocation, so every
//! target installs [`CappedAlloc`] with [`install_capped_allocator!`]: any single allocation
//! over [`SINGLE_CAP`] bytes, or live memory over [`LIVE_CAP`], aborts the process, which
//! libFuzzer reports as a crash with the input that caused it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Largest single allocation a decoder may make on fuzzed input.
pub const SINGLE_CAP: usize = 16 << 20;
/// Largest live heap a target may hold (libFuzzer's own bookkeeping included).
pub const LIVE_CAP: usize = 1 << 30;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// A global allocator that counts live bytes and aborts on allocations over the caps.
pub struct CappedAlloc;

fn check(size: usize) {
    if size > SINGLE_CAP {
        // Not `panic!`: formatting may allocate and the hook may run inside the allocator.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"netorder-fuzz: single allocation over SINGLE_CAP\n",
        );
        std::process::abort();
    }
    if LIVE.fetch_add(size, Ordering::Relaxed).saturating_add(size) > LIVE_CAP {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"netorder-fuzz: live heap over LIVE_CAP\n",
        );
        std::process::abort();
    }
}

// SAFETY: every method forwards to `System` with the caller's layout and pointer unchanged;
// the only additions are a counter and an abort, neither of which touches the memory.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout` (through this allocator).
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr`/`layout` come from this allocator; the caller upholds the contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Installs [`CappedAlloc`] as the target's global allocator.
#[macro_export]
macro_rules! install_capped_allocator {
    () => {
        #[global_allocator]
        static NETORDER_FUZZ_ALLOC: $crate::CappedAlloc = $crate::CappedAlloc;
    };
}

/// The framing a fuzzed tag byte picks: the kind from `tag % 8` (`u16`, `u32`, `varint`,
/// `fixed`, a 3-byte little-endian length field counting itself, `lines`, `crlf`, a `u64`
/// length field), a checksum trailer from `tag / 8 % 4` (none, Internet, CRC-32C, CRC-32).
/// `Fixed` takes its length from `fixed` (0 read as 1).
pub fn framing_of(tag: u8, fixed: u8) -> netorder::frame::Framing {
    use netorder::frame::{Checksum, Framing};
    let framing = match tag % 8 {
        0 => Framing::U16,
        1 => Framing::U32,
        2 => Framing::VARINT,
        3 => Framing::fixed(usize::from(fixed).max(1)),
        4 => Framing::length_delimited()
            .length_field_length(3)
            .little_endian()
            .length_adjustment(-3)
            .build()
            .expect("a valid length field"),
        5 => Framing::LINES,
        6 => Framing::delimited(b"\r\n").expect("a valid delimiter"),
        _ => Framing::length_delimited()
            .length_field_type::<u64>()
            .build()
            .expect("a valid length field"),
    };
    match tag / 8 % 4 {
        0 => framing,
        1 => framing.with_checksum(Checksum::Internet),
        2 => framing.with_checksum(Checksum::Crc32c),
        _ => framing.with_checksum(Checksum::Crc32),
    }
}

/// A fuzzed frame-stream case: its framing, max frame length, chunk sizes and stream bytes, from
/// a header of 4 bytes (framing tag, fixed length, max / 16, length of the sizes); `None` when
/// the input is shorter than the header.
pub fn frame_case(data: &[u8]) -> Option<(netorder::frame::Framing, usize, &[u8], &[u8])> {
    let [tag, fixed, max, split, ..] = *data else {
        return None;
    };
    let framing = framing_of(tag, fixed);
    let (sizes, input) = data[4..].split_at(usize::from(split).min(data.len() - 4));
    Some((framing, usize::from(max) * 16, sizes, input))
}
