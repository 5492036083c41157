//! Trace steps and error messages are written for people: shoppers and analysts read them in
//! the checkout demo, the CLI's `explain` and the bindings. They name things as the contract
//! does (the serialized snake_case names, `at_sale`, `customs_value`) or in plain words, never
//! with Rust's debug names (`AtSale`, `CustomsValue`, `Vendor`), and a library error never
//! names a CLI flag (the CLI adds its own hint when it prints one).
//!
//! Every vector of `tests/vectors/` is assessed with the trace on, as the vectors test does;
//! every trace `detail` and every error `message` is scanned.

mod common;

use serde_json::Value;

/// Words that would be Rust debug names: a capital, a lower-case letter, then another capital
/// somewhere after (`AtSale`, `FeesInTaxBase`, `CalendarYear`), or a capitalised variant name
/// of the enums traces used to print (`Vendor`, `Seller`, `Consignment`, `Express`) standing
/// among lower-case words. A capitalised neighbour makes it part of a proper name ("Dubai
/// Customs", "Customs Tariff Act", "Goods Management Levies"), which is allowed, and so are a
/// few proper names with inner capitals (`McKenzie`).
fn debug_names(text: &str) -> Vec<String> {
    const ALLOWED: &[&str] = &["McKenzie", "GmbH", "eBay", "AliExpress", "PayPal", "iPhone"];
    const ENUM_WORDS: &[&str] = &[
        "Vendor",
        "Intermediary",
        "Consumer",
        "Border",
        "Account",
        "Registrant",
        "Seller",
        "Marketplace",
        "Carrier",
        "Consignee",
        "Customs",
        "Consignment",
        "Line",
        "Item",
        "Goods",
        "Shipping",
        "Insurance",
        "Duty",
        "Tax",
        "Fees",
        "Uplift",
        "Postal",
        "Express",
        "Freight",
        "Day",
        "Some",
        "None",
    ];
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let bare = |t: &str| -> String {
        t.trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
            .to_string()
    };
    let capitalised = |t: Option<&&str>| {
        t.is_some_and(|t| bare(t).chars().next().is_some_and(|c| c.is_uppercase()))
    };
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        for word in token.split(|c: char| !c.is_alphanumeric() && c != '_') {
            let mut chars = word.chars();
            let first_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
            let rest: Vec<char> = chars.collect();
            let camel = first_upper
                && rest.first().is_some_and(|c| c.is_ascii_lowercase())
                && rest.iter().any(|c| c.is_ascii_uppercase());
            if camel && !ALLOWED.contains(&word) {
                found.push(word.to_string());
            }
        }
        // A variant name alone among lower-case words, not at the start of a sentence or of
        // a parenthesis, where a capital is just grammar.
        let word = bare(token);
        let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
        let sentence_start = token.starts_with(['(', '[', '"', '\''])
            || previous.is_none_or(|p| p.ends_with(['.', ':', ';', '!', '?']));
        if ENUM_WORDS.contains(&word.as_str())
            && !sentence_start
            && !capitalised(previous)
            && !capitalised(tokens.get(i + 1))
        {
            found.push(word);
        }
    }
    found
}

/// Flags that belong to the CLI, which library messages must not name.
fn cli_flags(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_detector_finds_what_it_should() {
    assert_eq!(
        debug_names("model Vendor, collected by Seller, tax charged AtSale"),
        ["Vendor", "Seller", "AtSale"]
    );
    assert_eq!(
        debug_names("base = CustomsValue + Duty + FeesInTaxBase"),
        ["CustomsValue", "Duty", "FeesInTaxBase"]
    );
    assert!(debug_names("model vendor (seller collects the tax at sale); EU VAT 20%").is_empty());
    assert!(debug_names("Baker McKenzie 2026-07-02; HS 6109; IOSS applies").is_empty());
    assert!(
        debug_names("cleared by Dubai Customs (AED 300) under the Customs Tariff Act").is_empty()
    );
    assert_eq!(
        debug_names(
            "(dispatch country CN, channel Express): 50 per Consignment, paid by Consignee"
        ),
        ["Express", "Consignment", "Consignee"]
    );
    assert_eq!(
        cli_flags("load the full tariff with --tariff"),
        ["--tariff"]
    );
}

#[test]
fn traces_and_messages_use_plain_words() {
    let vectors = common::vectors();
    assert!(vectors.len() >= 40, "found {} vectors", vectors.len());
    let mut problems = Vec::new();
    let mut details = 0;
    for vector in &vectors {
        let name = &vector.name;
        let mut options = vector.options();
        options.trace = true;
        let (json, _) = vector
            .engine()
            .assess_to_json(&vector.declaration(), &options);
        let result: Value = serde_json::from_str(&json).unwrap();
        let mut texts: Vec<(String, String)> = Vec::new();
        for step in result["trace"].as_array().into_iter().flatten() {
            let text = step["detail"].as_str().unwrap_or_default().to_string();
            texts.push((format!("trace {}", step["step"]), text));
        }
        if let Some(message) = result["error"]["message"].as_str() {
            texts.push(("error".to_string(), message.to_string()));
        }
        for (what, text) in texts {
            details += 1;
            let names = debug_names(&text);
            let flags = cli_flags(&text);
            if !names.is_empty() || !flags.is_empty() {
                problems.push(format!("{name}: {what}: {names:?} {flags:?} in {text:?}"));
            }
        }
    }
    assert!(details > 500, "only {details} texts scanned");
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} texts with debug names or CLI flags:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
