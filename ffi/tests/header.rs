//! The committed header `ffi/include/xborder.h` is exactly what the pinned cbindgen makes of
//! the sources today, and the numbers in it are the library's.
//!
//! After changing `ffi/src` or `ffi/cbindgen.toml`, regenerate it with
//! `XB_BLESS=1 cargo test -p xborder-ffi --test header` and commit the result.

use std::path::{Path, PathBuf};

use xborder::XbStatus;

fn ffi_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    ffi_dir().join("include/xborder.h")
}

fn committed() -> String {
    std::fs::read_to_string(header_path()).expect("ffi/include/xborder.h exists")
}

fn generate() -> Vec<u8> {
    let config = cbindgen::Config::from_file(ffi_dir().join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(ffi_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    out
}

#[test]
fn committed_header_matches_a_fresh_generation() {
    let fresh = generate();
    if std::env::var_os("XB_BLESS").is_some() {
        std::fs::write(header_path(), &fresh).unwrap();
        return;
    }
    let fresh = String::from_utf8(fresh).unwrap();
    let old = committed();
    if fresh != old {
        let first = fresh
            .lines()
            .zip(old.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| fresh.lines().count().min(old.lines().count()));
        panic!(
            "ffi/include/xborder.h is stale (first difference at line {}):\n  committed: {:?}\n  generated: {:?}\n\
             Regenerate with: XB_BLESS=1 cargo test -p xborder-ffi --test header",
            first + 1,
            old.lines().nth(first).unwrap_or("<end>"),
            fresh.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

fn define(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} is not defined in the header"))
        .trim()
        .to_string()
}

#[test]
fn version_macros_are_the_crate_version() {
    let h = committed();
    assert_eq!(
        define(&h, "XB_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define(&h, "XB_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define(&h, "XB_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    // The composite is checked from C too (tests/c/version.c, run by tests/c_programs.rs).
    assert_eq!(
        define(&h, "XB_VERSION_NUMBER"),
        "((XB_VERSION_MAJOR << 16) | (XB_VERSION_MINOR << 8) | XB_VERSION_PATCH)"
    );
}

#[test]
fn status_numbers_in_the_header_are_the_library_s() {
    let h = committed();
    for s in XbStatus::ALL {
        let line = format!("{} = {},", s.name(), *s as u32);
        assert!(h.contains(&line), "header lacks `{line}`");
    }
    // And no status in the header that the library does not know.
    let declared = h
        .lines()
        .filter(|l| l.trim_start().starts_with("XB_STATUS_") && l.contains(" = "))
        .count();
    assert_eq!(declared, XbStatus::ALL.len());
}

/// Every `#[no_mangle]` function in the sources is declared in the header (except the
/// debug-only test hooks), so nothing is exported without documentation.
#[test]
fn every_exported_function_is_declared() {
    let h = committed();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(ffi_dir().join("src")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(rest) = line.split("extern \"C\" fn ").nth(1) {
                let name = rest.split('(').next().unwrap().trim().to_string();
                names.push(name);
            }
        }
    }
    assert!(names.len() >= 20, "found {names:?}");
    for name in names {
        let hook = name.starts_with("xb_test_");
        let declared = h.contains(&format!(" {name}(")) || h.contains(&format!("*{name}("));
        assert_eq!(
            declared,
            !hook,
            "{name}: {}",
            if hook {
                "a test hook is in the header"
            } else {
                "not in the header"
            }
        );
    }
}

/// The declarations of the header, one string per function with its whitespace collapsed:
/// `XbStatus xb_assess_json(const XbEngine *engine, …)`.
fn declarations(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in header.lines() {
        let line = line.trim();
        if current.is_none() && line.contains(" xb_") && line.contains('(') {
            current = Some(String::new());
        }
        if let Some(text) = current.as_mut() {
            text.push_str(line);
            text.push(' ');
            if line.ends_with(';') {
                let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
                out.push(collapsed.replace("( ", "("));
                current = None;
            }
        }
    }
    out
}

/// Every function that returns an `XbStatus` has an `_ex` twin taking the same parameters
/// plus a last `XbError **error` (src/error.rs says why), so that a runtime moving work
/// between threads can get the details of any failure.
#[test]
fn every_fallible_function_has_an_ex_variant() {
    let h = committed();
    let decls = declarations(&h);
    let fallible: Vec<&String> = decls
        .iter()
        .filter(|d| {
            d.starts_with("XbStatus xb_")
                && !d.contains("_ex(")
                && !d.starts_with("XbStatus xb_last_error_status(")
                && !d.starts_with("XbStatus xb_error_status(")
        })
        .collect();
    assert!(fallible.len() >= 25, "{fallible:#?}");
    for d in &fallible {
        let (name, params) = d.split_once('(').unwrap();
        let params = params.trim_end_matches(");");
        let twin = format!("{name}_ex({params}, XbError **error);");
        assert!(decls.contains(&twin), "the header lacks `{twin}`");
    }
    let twins = decls.iter().filter(|d| d.contains("_ex(")).count();
    assert_eq!(
        twins,
        fallible.len(),
        "an _ex function without a plain twin"
    );
}
