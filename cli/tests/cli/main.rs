//! The `netorder` binary, run as a child process: help and completions (`cli_help`), the usage
//! contract (`cli_usage`), `calcsize`/`pack`/`unpack`/`explain` (`cli_records`), `sizes`
//! (`cli_sizes`), `serve` and `send` against Python peers (`cli_net`) and across network
//! namespaces (`netns`), and the README's transcripts (`readme_cli`).

mod cli_help;
mod cli_net;
mod cli_records;
mod cli_sizes;
mod cli_usage;
mod netns;
mod readme_cli;
