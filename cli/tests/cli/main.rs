//! The `netorder` binary, run as a child process: help and completions (`cli_help`), the usage
//! contract (`cli_usage`), `calcsize`/`pack`/`unpack`/`explain` (`cli_records`), `sizes`
//! (`cli_sizes`), `serve` and `send` against Python peers (`cli_net`) and across network
//! namespaces (`netns`), `gen`'s C and Python clients feeding one `serve` (`gen_peers`), and the
//! README's transcripts (`readme_cli`). Moved here from the
//! library's layer tests because only this package can run the binary: `pack`'s input
//! splitting (`pack_split`), and `serve` with faulty peers (`serve_faults`), under load
//! (`serve_load`), on several loops or threads (`serve_threads`), and against the hostile peers
//! of issue 15 with `send` told of every refusal (`serve_peers`).

mod cli_help;
mod cli_net;
mod cli_records;
mod cli_sizes;
mod cli_usage;
mod gen_peers;
mod netns;
mod pack_split;
mod readme_cli;
mod serve_faults;
mod serve_harness;
mod serve_load;
mod serve_peers;
mod serve_threads;
