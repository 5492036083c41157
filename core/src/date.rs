//! Calendar dates (`YYYY-MM-DD`) as the rules use them.
//!
//! Rules change on a day, never at a time of day, so a plain proleptic Gregorian date is all
//! the engine needs; a full date-time crate would add weight to the WASM package for nothing.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The English month names, January first: how official publications write dates in text
/// (the ECB's daily CSV reads `30 October 2026`, Australia's Schedule 3 `1 July 2018`).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Packed as yyyymmdd so that integer order is date order. Never zero (day and month start
    // at 1), so `Option<Date>` is four bytes with no payload left unwritten by `None`: a
    // branchless test of an absent date then reads no uninitialised memory, which valgrind
    // would report through the C library.
    packed: NonZeroU32,
}

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Date {
    /// 1970-01-01, the day [`Date::days_since_epoch`] counts from; also the date of a
    /// `Declaration::default()`, which a caller replaces.
    pub const EPOCH: Date = Date::from_packed(1970 * 10_000 + 100 + 1);

    /// The date whose `yyyymmdd` is `packed`, an existing date (so not zero).
    #[inline]
    const fn from_packed(packed: u32) -> Date {
        match NonZeroU32::new(packed) {
            Some(packed) => Date { packed },
            None => Date {
                packed: NonZeroU32::MIN,
            },
        }
    }

    /// Builds a date from its parts, checking the day exists.
    pub fn new(year: u32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError(format!("year {year} is out of range 1-9999")));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError(format!("month {month} does not exist")));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(DateError(format!(
                "day {day} does not exist in {year:04}-{month:02}"
            )));
        }
        Ok(Date::from_packed(year * 10_000 + month * 100 + day))
    }

    /// [`Date::new`] for the fast declaration reader: the same date, and `None` where `new`
    /// is an error, without building the error's message. A day up to 28 exists in every
    /// month, so only the last days of a month look the month's length up.
    #[inline]
    pub(crate) fn checked(year: u32, month: u32, day: u32) -> Option<Date> {
        let exists = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day != 0
            && (day <= 28 || day <= days_in_month(year, month));
        exists.then_some(Date::from_packed(year * 10_000 + month * 100 + day))
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic across months and years.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(self.year(), self.month(), self.day())
    }
}

/// Days since 1970-01-01 of the date `year-month-day` (an existing date): Howard Hinnant's
/// `days_from_civil`. The fast declaration reader calls it with the parts it read, rather
/// than packing a [`Date`] and taking it apart again.
#[inline]
pub(crate) fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    // Counted from a year 400 years (146 097 days) earlier, so that every quantity is
    // unsigned and each division a multiplication (the eras of Hinnant's form summed: `y / 4 -
    // y / 100 + y / 400` is `era * 97 + yoe / 4 - yoe / 100`).
    let y = year + 400 - u32::from(month <= 2);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let days = y * 365 + y / 4 - y / 100 + y / 400 + doy;
    i64::from(days) - 719_468 - 146_097
}

impl Date {
    /// The date `days` days after 1970-01-01 (inverse of [`Date::days_since_epoch`]); `None`
    /// outside the years 1-9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let (y, m, d) = civil_from_days(days);
        Date::new(u32::try_from(y).ok()?, m as u32, d as u32).ok()
    }

    /// The year.
    pub fn year(self) -> u32 {
        self.packed.get() / 10_000
    }

    /// The month, 1-12.
    pub fn month(self) -> u32 {
        self.packed.get() / 100 % 100
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u32 {
        self.packed.get() % 100
    }

    /// The date as its `Display` writes it, `YYYY-MM-DD` in ASCII (years are 1-9999, so always
    /// ten bytes): for writers on the hot path that append it in one copy.
    pub(crate) fn iso_bytes(self) -> [u8; 10] {
        let (y, m, d) = (self.year(), self.month(), self.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]
    }

    /// The day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        // rem_euclid of 7 is 0..=6, so the cast cannot truncate.
        (self.days_since_epoch() + 3).rem_euclid(7) as u32
    }

    /// The number of days in this date's month.
    pub fn days_in_month(self) -> u32 {
        days_in_month(self.year(), self.month())
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Date {
        Date::from_packed(self.packed.get() - self.day() + 1)
    }

    /// The last day of this date's month.
    pub fn last_of_month(self) -> Date {
        Date::from_packed(self.packed.get() - self.day() + self.days_in_month())
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            let shown: String = s.chars().take(40).collect();
            return Err(DateError(format!(
                "{shown:?} is not a date of the form YYYY-MM-DD"
            )));
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        Date::new(num(0..4), num(5..7), num(8..10))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse()
                    .map_err(|e: DateError| E::custom(format!("[E_INVALID_DATE] {e}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// `(year, month, day)` of the day `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), for any `i64` day count a timestamp can hold.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_date_costs_no_room() {
        assert_eq!(std::mem::size_of::<Option<Date>>(), 4);
        let first: Date = "0001-01-01".parse().unwrap();
        assert_eq!((first.year(), first.month(), first.day()), (1, 1, 1));
        assert_eq!(first.first_of_month(), first);
        assert_eq!(first.last_of_month().day(), 31);
    }

    #[test]
    fn days_since_epoch_round_trips() {
        for s in [
            "1970-01-01",
            "1969-12-31",
            "2024-02-29",
            "2026-07-01",
            "2026-12-31",
            "2100-03-01",
        ] {
            let d: Date = s.parse().unwrap();
            assert_eq!(
                Date::from_days_since_epoch(d.days_since_epoch()),
                Some(d),
                "{s}"
            );
        }
        let a: Date = "2026-01-01".parse().unwrap();
        let b: Date = "2026-12-31".parse().unwrap();
        assert_eq!(b.days_since_epoch() - a.days_since_epoch(), 364);
        assert_eq!(Date::from_days_since_epoch(i64::MAX / 2), None);
    }

    #[test]
    fn weekdays() {
        let wd = |s: &str| s.parse::<Date>().unwrap().weekday();
        assert_eq!(wd("1970-01-01"), 3); // Thursday
        assert_eq!(wd("2026-02-18"), 2); // Wednesday
        assert_eq!(wd("2026-12-23"), 2);
        assert_eq!(wd("2024-03-29"), 4); // Good Friday
        assert_eq!(wd("1969-12-29"), 0); // Monday
        let d = "2024-02-10".parse::<Date>().unwrap();
        assert_eq!(d.days_in_month(), 29);
        assert_eq!(d.first_of_month().to_string(), "2024-02-01");
        assert_eq!(d.last_of_month().to_string(), "2024-02-29");
    }

    #[test]
    fn parses_and_prints() {
        let d: Date = "2026-07-01".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2026, 7, 1));
        assert_eq!(d.to_string(), "2026-07-01");
    }

    #[test]
    fn orders_chronologically() {
        let a: Date = "2026-06-30".parse().unwrap();
        let b: Date = "2026-07-01".parse().unwrap();
        assert!(a < b);
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "2026-00-10",
            "2026-1-01",
            "20260101",
            "",
            "2026-04-31",
            "２０２６-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
    }

    /// Hinnant's `days_from_civil` as it was written before it counted from 400 years back
    /// (signed, `div_euclid`), the reference of [`every_day_counts_as_hinnants_form_counts_it`].
    fn days_from_civil_signed(year: u32, month: u32, day: u32) -> i64 {
        let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Every date of years 1-9999 counts the days the signed form counts, one more than the
    /// day before, and back to itself through `civil_from_days`.
    #[test]
    fn every_day_counts_as_hinnants_form_counts_it() {
        let mut last = days_from_civil(1, 1, 1) - 1;
        assert_eq!(last, -719_163);
        for year in 1..=9999 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let n = days_from_civil(year, month, day);
                    assert_eq!(n, days_from_civil_signed(year, month, day));
                    assert_eq!(n, last + 1, "{year}-{month}-{day}");
                    last = n;
                }
            }
        }
        assert_eq!(civil_from_days(last), (9999, 12, 31));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn iso_bytes_are_what_display_writes() {
        let first = Date::new(1, 1, 1).unwrap().days_since_epoch();
        let last = Date::new(9999, 12, 31).unwrap().days_since_epoch();
        // Every day of years 1-2 and 9998-9999, and every 7th day in between.
        let days = (first..first + 731)
            .chain((first + 731..last - 730).step_by(7))
            .chain(last - 730..=last);
        for n in days {
            let d = Date::from_days_since_epoch(n).unwrap();
            assert_eq!(d.iso_bytes(), d.to_string().as_bytes(), "{d}");
        }
    }
}
