//! Protocol headers: bit fields of `#[derive(FixedRecord)]` records and their views on real
//! headers (`golden`), against an independent Python `struct` + shift/mask oracle on random
//! values (`oracle`), views in place (`views`), and layouts and diagrams of headers
//! (`diagram`).

mod diagram;
mod golden;
mod oracle;
mod views;
