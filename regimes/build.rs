//! Packs the HS 2017 ↔ HS 2022 correlation (`hs-correlation/hs2022-hs2017.tsv`) into the
//! compact form `HS_CORRELATION_2022_2017_PACKED` holds (see its documentation in
//! `src/lib.rs`): about 15 kB that compress to 3 kB, where the text is 92 kB and 10 kB
//! compressed. The WASM module carries the packed form only (issue 17).
//!
//! The lines are read as the core's `Correlation::parse` reads the text: `#` lines skipped, a
//! line without a tab skipped, a subheading that is not six ASCII digits skipped. The core's
//! tests check that both forms give the same table.

fn main() {
    let source = "hs-correlation/hs2022-hs2017.tsv";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(source).expect("hs-correlation/hs2022-hs2017.tsv");
    let mut out = Vec::new();
    let mut previous = 0i64;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((key, values)) = line.split_once('\t') else {
            continue;
        };
        let Some(key) = subheading(key) else { continue };
        let values: Vec<i64> = values.split(' ').filter_map(subheading).collect();
        put(&mut out, zigzag(key - previous));
        put(&mut out, values.len() as u64);
        let mut last = key;
        for v in values {
            put(&mut out, zigzag(v - last));
            last = v;
        }
        previous = key;
    }
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/hs2022-hs2017.packed"), &out).expect("write the packed table");
}

/// A subheading of six ASCII digits as its number.
fn subheading(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    (bytes.len() == 6 && bytes.iter().all(u8::is_ascii_digit)).then(|| {
        bytes
            .iter()
            .fold(0i64, |n, &b| n * 10 + i64::from(b - b'0'))
    })
}

/// A signed difference as an unsigned number: 0, −1, 1, −2, 2 … as 0, 1, 2, 3, 4 ….
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// `v` in LEB128: seven bits a byte, low bits first, the high bit set on every byte but the
/// last.
fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
