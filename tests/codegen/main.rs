//! Generated code, run: the C headers and Python modules of `Layout::gen_c` and
//! `Layout::gen_python`, compiled with gcc (`-std=c11 -Wall -Wextra -Werror -pedantic`) and run
//! with python3 against Rust on the same records (`roundtrip`), and what each promises on its
//! own: names, errors, strictness, several headers together (`api`).
//!
//! Needs gcc and python3 (every CI machine has both).

mod api;
mod harness;
mod roundtrip;
