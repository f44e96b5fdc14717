//! External programs the tests need: whether they are installed, and the Node peers'
//! packages (`tests/peer/`), installed with `npm ci` into the cargo target directory.

use std::path::{Path, PathBuf};
use std::process::Stdio;

/// Whether `name --version` runs and succeeds.
pub fn tool_available(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether node and npm are there for the peer test `test`. Without them the test prints
/// SKIPPED and should return, except with `CI=true`, where this fails the test instead.
pub fn node_available(test: &str) -> bool {
    required(
        test,
        "node and npm",
        tool_available("node") && tool_available("npm"),
    )
}

/// `available` for the test `test`, which needs `what`: when it is missing the test prints
/// SKIPPED and should return, except with `CI=true` (`.ci/run` installs what tests need), where
/// this fails the test instead, so that CI never passes a test that did not run.
pub fn required(test: &str, what: &str, available: bool) -> bool {
    if available {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test} needs {what}, which CI must provide"
    );
    println!("SKIPPED: {test} needs {what}");
    false
}

/// The checkout's root directory.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo target directory (`CARGO_TARGET_DIR` when set), where the peers' packages go.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| manifest_dir().join("target"), PathBuf::from)
}

/// Copy the Node peer `tests/peer/<peer>/` (its package files and `files`) into
/// `<target>/<into>/` and `npm ci` there, unless the same lock is installed already (checked
/// by `<package>` being present in node_modules). Returns that directory.
pub fn install_peer(peer: &str, into: &str, package: &str, files: &[&str]) -> PathBuf {
    let source = manifest_dir().join("tests/peer").join(peer);
    let dir = target_dir().join(into);
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let installed = std::fs::read(dir.join("package-lock.json")).ok();
    let ready = installed.as_deref() == Some(lock.as_slice())
        && dir
            .join("node_modules")
            .join(package)
            .join("package.json")
            .exists();
    for file in ["package.json", "package-lock.json"].iter().chain(files) {
        std::fs::copy(source.join(file), dir.join(file)).unwrap();
    }
    if !ready {
        let out = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .expect("run npm ci");
        assert!(
            out.status.success(),
            "npm ci failed in {}:\n{}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // Our copy of the lock marks what is installed, whatever npm did with its own.
        std::fs::write(dir.join("package-lock.json"), &lock).unwrap();
    }
    dir
}
