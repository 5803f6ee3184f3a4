//! What the README and the examples promise: the README's encoding table is recomputed
//! (`readme_tables`) and every example runs and prints its lesson (`examples`). The README's
//! command-line transcripts are checked by the CLI's tests (`cli/tests/cli/readme_cli.rs`).

mod examples;
mod readme_tables;
