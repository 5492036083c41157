//! Rate table text in any format (the project's JSON, `xborder-rates 1`, the ECB's CSV and XML,
//! HMRC's monthly XML) → load; a table that loads is asked for rates.
//!
//! Invariants: no panic, no hang, no OOM; an error is a refusal an input may cause (any
//! published code but `E_INTERNAL`, see `common`) and, from the loader, a rate-table code
//! (`E_INVALID_RATES`, `E_INPUT_TOO_LARGE`, `E_NESTING_TOO_DEEP`); a monthly table that reads is written back to the same bytes' table,
//! and an ECB or HMRC file that loads gives a table that writes and reads back; any currency
//! pair and date can be asked for (a rate or a reason), and a rate found converts or overflows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_core::exchange::{ecb, hmrc, MonthlyTable, RateTable};
use xborder_core::{Date, ErrorCode};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let round_trip = |t: &MonthlyTable| {
        let again = MonthlyTable::parse(&t.to_text()).expect("a written table reads");
        assert_eq!(&again, t);
    };
    if let Ok(t) = MonthlyTable::parse(text) {
        round_trip(&t);
    }
    if let Ok(t) = ecb::monthly_table(text, "fuzz") {
        round_trip(&t);
    }
    if let Ok(month) = hmrc::parse_month(text) {
        let checked = month.month.first_day();
        if let Ok(t) = hmrc::monthly_table(vec![month], "fuzz".into(), checked) {
            round_trip(&t);
        }
    }
    match RateTable::from_text(text) {
        Ok(table) => {
            let dates = ["1999-01-04", "2021-01-01", "2026-03-10", "2027-01-15", "9999-12-31"];
            for currency in ["USD", "GBP", "EUR", "XCD", "ABC", "", "é"] {
                for to in ["EUR", "GBP", "USD"] {
                    for d in dates {
                        let date: Date = d.parse().unwrap();
                        match table.rate_on(currency, to, date) {
                            Some(rate) => {
                                let _ = rate.convert("999999999999.9999".parse().unwrap());
                                let _ = rate.quotation();
                            }
                            None => {
                                let _ = table.why_none(currency, to, date);
                            }
                        }
                    }
                }
            }
        }
        Err(e) => {
            common::assert_input_refusal(&e);
            assert!(
                matches!(
                    e.code,
                    ErrorCode::InvalidRates | ErrorCode::InputTooLarge | ErrorCode::NestingTooDeep
                ),
                "{e}"
            );
        }
    }
});
