//! Instants (`2026-03-15T08:30:00Z`) for the advance-data times of a declaration.
//!
//! Rules change by day ([`crate::date::Date`]), but pre-arrival deadlines are counted in hours
//! before the means of transport arrives, so the lodging and arrival times need a clock. Only
//! RFC 3339 UTC or fixed-offset times are accepted; the value is kept as seconds since
//! 1970-01-01T00:00:00Z so that two instants compare and subtract exactly.

use std::fmt;
use std::num::NonZeroU64;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::Date;

/// An instant, to the second, in UTC.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    // Seconds since the epoch with the sign bit flipped: an order-preserving map of `i64` onto
    // `u64` in which only `i64::MIN` becomes zero. `i64::MIN` is never held (see `from_seconds`),
    // so `Option<Timestamp>` is eight bytes and `None` leaves no payload unwritten: comparing
    // an absent time without a branch then reads no uninitialised memory, which valgrind would
    // report through the C library.
    biased: NonZeroU64,
}

impl Timestamp {
    /// The instant `seconds` after the epoch; `i64::MIN` is taken as one second later.
    #[inline]
    const fn from_seconds(seconds: i64) -> Timestamp {
        let seconds = if seconds == i64::MIN {
            i64::MIN + 1
        } else {
            seconds
        };
        // `as` keeps the bit pattern: the two casts are the flip's own inverse.
        match NonZeroU64::new(seconds as u64 ^ SIGN) {
            Some(biased) => Timestamp { biased },
            None => Timestamp {
                biased: NonZeroU64::MAX,
            },
        }
    }

    /// Midnight UTC at the start of `date`.
    pub fn start_of(date: Date) -> Timestamp {
        Timestamp::from_seconds(date.days_since_epoch() * 86_400)
    }

    /// The instant `seconds` after 1970-01-01T00:00:00Z, for the fast declaration reader.
    #[inline]
    pub(crate) fn from_unix_seconds(seconds: i64) -> Timestamp {
        Timestamp::from_seconds(seconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    #[inline]
    pub fn unix_seconds(self) -> i64 {
        (self.biased.get() ^ SIGN) as i64
    }

    /// `self` moved by `seconds` (earlier when negative), saturating at the ends of `i64` (the
    /// earliest instant is `i64::MIN + 1` seconds).
    pub fn offset(self, seconds: i64) -> Timestamp {
        Timestamp::from_seconds(self.unix_seconds().saturating_add(seconds))
    }

    /// Whole seconds from `self` until `later` (negative when `later` is earlier).
    #[inline]
    pub fn seconds_until(self, later: Timestamp) -> i64 {
        later.unix_seconds() - self.unix_seconds()
    }
}

/// The sign bit of an `i64`, flipped to map `i64` order onto `u64` order.
const SIGN: u64 = 1 << 63;

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timestamp")
            .field("seconds", &self.unix_seconds())
            .finish()
    }
}

impl FromStr for Timestamp {
    type Err = String;

    /// `YYYY-MM-DDTHH:MM[:SS]` followed by `Z` or `±HH:MM`.
    fn from_str(s: &str) -> Result<Timestamp, String> {
        let bad = || {
            let shown: String = s.chars().take(40).collect();
            format!("{shown:?} is not a time of the form YYYY-MM-DDTHH:MM:SSZ (or with a ±HH:MM offset)")
        };
        if !s.is_ascii() || s.len() < 17 {
            return Err(bad());
        }
        let date: Date = s[..10].parse().map_err(|_| bad())?;
        let b = s.as_bytes();
        if b[10] != b'T' && b[10] != b't' {
            return Err(bad());
        }
        let two = |i: usize| -> Result<i64, String> {
            match (b.get(i), b.get(i + 1)) {
                (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                    Ok(i64::from(x - b'0') * 10 + i64::from(y - b'0'))
                }
                _ => Err(bad()),
            }
        };
        let hour = two(11)?;
        if b[13] != b':' {
            return Err(bad());
        }
        let minute = two(14)?;
        let (second, rest) = if b.get(16) == Some(&b':') {
            (two(17)?, 19)
        } else {
            (0, 16)
        };
        let offset = match &s[rest..] {
            "Z" | "z" => 0,
            o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
                let (h, m) = (two(rest + 1)?, two(rest + 4)?);
                if h > 23 || m > 59 {
                    return Err(bad());
                }
                let secs = h * 3600 + m * 60;
                if o.starts_with('-') {
                    -secs
                } else {
                    secs
                }
            }
            _ => return Err(bad()),
        };
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad());
        }
        Ok(Timestamp::from_seconds(
            date.days_since_epoch() * 86_400 + hour * 3600 + minute * 60 + second - offset,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix_seconds().div_euclid(86_400);
        let secs = self.unix_seconds().rem_euclid(86_400);
        let (y, m, d) = crate::date::civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time string YYYY-MM-DDTHH:MM:SSZ")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse()
                    .map_err(|e: String| E::custom(format!("[E_INVALID_DATE] {e}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_absent_time_costs_no_room_and_order_is_kept_across_the_epoch() {
        assert_eq!(std::mem::size_of::<Option<Timestamp>>(), 8);
        let times = [i64::MIN + 1, -86_400, -1, 0, 1, 951_868_800, i64::MAX];
        for pair in times.windows(2) {
            let (a, b) = (
                Timestamp::from_unix_seconds(pair[0]),
                Timestamp::from_unix_seconds(pair[1]),
            );
            assert!(a < b, "{pair:?}");
            assert_eq!(a.unix_seconds(), pair[0]);
        }
        let earliest = Timestamp::from_unix_seconds(i64::MIN + 1);
        assert_eq!(earliest.offset(-5).unix_seconds(), i64::MIN + 1);
        assert_eq!(Timestamp::from_unix_seconds(i64::MIN), earliest);
        let latest = Timestamp::from_unix_seconds(i64::MAX);
        assert_eq!(latest.offset(5).unix_seconds(), i64::MAX);
        assert_eq!(
            format!("{earliest:?}"),
            format!("Timestamp {{ seconds: {} }}", i64::MIN + 1)
        );
    }

    #[test]
    fn parses_utc_and_offsets_to_the_same_instant() {
        assert_eq!(t("1970-01-01T00:00:00Z").unix_seconds(), 0);
        assert_eq!(t("2026-03-15T08:30:00Z"), t("2026-03-15T10:30:00+02:00"));
        assert_eq!(t("2026-03-15T08:30Z"), t("2026-03-15T03:30-05:00"));
        assert_eq!(t("2000-03-01T00:00:00Z").unix_seconds(), 951_868_800);
    }

    #[test]
    fn prints_in_utc_and_round_trips() {
        for s in [
            "2026-03-15T08:30:00Z",
            "2024-02-29T23:59:59Z",
            "1969-12-31T23:00:00Z",
        ] {
            assert_eq!(t(s).to_string(), s);
        }
        assert_eq!(
            t("2026-01-01T01:00:00+02:00").to_string(),
            "2025-12-31T23:00:00Z"
        );
    }

    #[test]
    fn counts_hours_across_midnight() {
        let lodged = t("2026-03-15T22:00:00Z");
        let arrival = t("2026-03-16T02:00:00Z");
        assert_eq!(lodged.seconds_until(arrival), 4 * 3600);
        assert_eq!(arrival.seconds_until(lodged), -4 * 3600);
    }

    #[test]
    fn rejects_malformed_times() {
        for bad in [
            "",
            "2026-03-15",
            "2026-03-15 08:30:00Z",
            "2026-03-15T24:00:00Z",
            "2026-03-15T08:60:00Z",
            "2026-03-15T08:30:00",
            "2026-02-30T08:30:00Z",
            "2026-03-15T08:30:00+25:00",
            "2026-03-15T08:30:00.5Z",
            "２０２６-03-15T08:30:00Z",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }
}
