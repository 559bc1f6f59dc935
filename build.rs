//! Names this build of pressroom by what it is made of: its sources, its
//! built-in templates, its locked dependencies, the compiler and the
//! profile (`PRESSROOM_BUILD_ID`). The caches beside the output key on it
//! (`archive::cache::hash_binary`), so a copy of the same build, as a CI
//! cache restores it with a new inode and time, reuses them, and any other
//! build starts afresh.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for dir in ["src", "feeds/templates"] {
        println!("cargo:rerun-if-changed={dir}");
        walk(&root, &root.join(dir), &mut files);
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={file}");
        files.push(file.to_owned());
    }
    files.sort();
    // Two 64-bit hashes with different prefixes: 128 bits, from std alone.
    let mut hashers = [DefaultHasher::new(), DefaultHasher::new()];
    for (i, h) in hashers.iter_mut().enumerate() {
        h.write_usize(i);
    }
    let mut feed = |bytes: &[u8]| {
        for h in &mut hashers {
            h.write_usize(bytes.len());
            h.write(bytes);
        }
    };
    for file in &files {
        feed(file.as_bytes());
        feed(&fs::read(root.join(file)).unwrap_or_default());
    }
    for var in ["TARGET", "PROFILE", "OPT_LEVEL", "DEBUG", "CARGO_ENCODED_RUSTFLAGS", "CARGO_CFG_TARGET_FEATURE"] {
        println!("cargo:rerun-if-env-changed={var}");
        feed(var.as_bytes());
        feed(env::var(var).unwrap_or_default().as_bytes());
    }
    let mut features: Vec<String> = env::vars().map(|(k, _)| k).filter(|k| k.starts_with("CARGO_FEATURE_")).collect();
    features.sort();
    feed(features.join(",").as_bytes());
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-vV").output().map(|o| o.stdout).unwrap_or_default();
    feed(&version);
    let id: String = hashers.iter().map(|h| format!("{:016x}", h.finish())).collect();
    println!("cargo:rustc-env=PRESSROOM_BUILD_ID={id}");
}

/// Every file under `dir`, as a `/`-separated path relative to `root`.
fn walk(root: &Path, dir: &Path, into: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, into);
        } else if let Ok(rel) = path.strip_prefix(root) {
            into.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
