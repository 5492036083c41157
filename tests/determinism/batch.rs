//! The large deterministic batch of the determinism tests (`cli/tests/determinism.rs`,
//! `ffi/tests/determinism.rs`), shared by `#[path]` so that every binding is given the same
//! bytes: every declaration of `tests/vectors` and `examples/declarations`, perturbed by a
//! seeded generator (values, quantities, masses, shipping, dates, currencies), with one line in
//! twenty broken in one of several ways (bad HS code, bad amount, truncated JSON, non-UTF-8,
//! blank) so that errors are interleaved with results.

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

/// Declarations in the batch.
pub const SIZE: usize = 10_000;

/// xorshift64*: small, seeded, the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// FNV-1a, 64 bits: a stable hash to print and compare outputs by.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The declarations the batch is made from, in a fixed order.
pub fn bases(repo: &Path) -> Vec<Value> {
    let mut files = Vec::new();
    for dir in [
        "tests/vectors/EU",
        "tests/vectors/GB",
        "examples/declarations",
    ] {
        let mut names: Vec<_> = std::fs::read_dir(repo.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        files.extend(names);
    }
    files
        .iter()
        .map(|path| {
            let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            match v.get("declaration") {
                Some(d) => d.clone(),
                None => v,
            }
        })
        .collect()
}

fn money(rng: &mut Rng, max_units: u64) -> Value {
    let cents = rng.below(max_units * 100) + 1;
    Value::String(format!("{}.{:02}", cents / 100, cents % 100))
}

/// The batch as NDJSON bytes.
pub fn ndjson(repo: &Path, seed: u64) -> Vec<u8> {
    let bases = bases(repo);
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(SIZE * 1500);
    for i in 0..SIZE {
        let mut d = bases[rng.below(bases.len() as u64) as usize].clone();
        if let Some(obj) = d.as_object_mut() {
            obj.insert("id".into(), Value::String(format!("det-{i}")));
            if rng.below(4) == 0 {
                obj.insert("shipping".into(), money(&mut rng, 50));
            }
            if rng.below(8) == 0 {
                let day = 1 + rng.below(28);
                let year = 2024 + rng.below(4);
                obj.insert("date".into(), Value::String(format!("{year}-07-{day:02}")));
            }
        }
        if let Some(items) = d.get_mut("items").and_then(Value::as_array_mut) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                let scale = [20, 200, 2_000, 20_000][rng.below(4) as usize];
                item.insert("value".into(), money(&mut rng, scale));
                if rng.below(3) == 0 {
                    item.insert("quantity".into(), Value::from(1 + rng.below(12)));
                }
                if rng.below(3) == 0 {
                    let grams = 1 + rng.below(50_000);
                    let mass = format!("{}.{:03}", grams / 1000, grams % 1000);
                    item.insert("net_mass_kg".into(), Value::String(mass));
                }
            }
        }
        let mut line = serde_json::to_vec(&d).unwrap();
        match rng.below(20) {
            0 => {
                let text = String::from_utf8(line).unwrap();
                line = text
                    .replacen("\"hs_code\":\"", "\"hs_code\":\"x", 1)
                    .into_bytes();
            }
            1 => {
                let text = String::from_utf8(line).unwrap();
                line = text
                    .replacen("\"value\":\"", "\"value\":\"1e", 1)
                    .into_bytes();
            }
            2 => line.truncate(line.len() / 2),
            3 => {
                line.insert(1, 0xfe);
                line.insert(1, 0xff);
            }
            4 => line = b"   ".to_vec(),
            _ => {}
        }
        out.extend_from_slice(&line);
        out.push(b'\n');
    }
    out
}
