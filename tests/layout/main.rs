//! Layer 3, layouts: `Layout::of` against bincode 2 (`layout_of`), properties of every format
//! (`layout_props`), cross-checks against Python's `struct` (`layout_python`), the fast paths
//! of the value text forms (`layout_text_fast`), and the record encoder and the schema
//! describing the same bytes (`record_layout`).

mod layout_of;
mod layout_props;
mod layout_python;
mod layout_text_fast;
mod record_layout;
