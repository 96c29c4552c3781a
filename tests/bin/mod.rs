//! Running the `saml-inspect` binary from integration tests: from the
//! repository root (so testdata paths work), without colour. Kept apart from
//! `tests/support`, which the attack generator example also compiles, where
//! no binary path exists.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Output {
    command(args).output().expect("run saml-inspect")
}

/// Runs the binary with `args` and `stdin` piped in. A command that refuses
/// its input may exit before reading all of it: a broken pipe is ignored.
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn saml-inspect");
    let mut pipe = child.stdin.take().expect("stdin");
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().expect("wait for saml-inspect")
}

/// Standard output then standard error, as text.
pub fn all_output(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_saml-inspect"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}
