//! Reading Guilded's timestamps (`2021-10-15T23:58:44.537Z`: every message has one or two).
//! jiff's parser reads every RFC 3339 / ISO 8601 form and costs ~500 instructions a call;
//! this reads the one form Guilded sends in a tenth of that and hands anything else to jiff.
//!
//! Rule: the same result as `s.parse::<jiff::Timestamp>().ok()` for every string (a property
//! test compares them on generated and damaged strings).

use jiff::Timestamp;

/// `s` as a timestamp, or None when jiff would not read it either.
pub(crate) fn parse(s: &str) -> Option<Timestamp> {
    canonical(s.as_bytes()).or_else(|| s.parse().ok())
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` with every field in its plain range; None for anything
/// else (including forms jiff reads: those go to jiff).
fn canonical(b: &[u8]) -> Option<Timestamp> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' || b.last() != Some(&b'Z') {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    // 60 (a leap second) is jiff's to read.
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            let value = digits(fraction, 0, fraction.len())?;
            value * 10_i64.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
}

/// The `len` ASCII digits at `at` as a number.
fn digits(b: &[u8], at: usize, len: usize) -> Option<i64> {
    b.get(at..at + len)?.iter().try_fold(0, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (the era-based method: a
/// 400-year era is 146,097 days, and a year counted from March puts the leap day last).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn jiff(s: &str) -> Option<Timestamp> {
        s.parse().ok()
    }

    #[test]
    fn reads_as_jiff_does_taking_only_guildeds_form_itself() {
        // (text, whether the fast path reads it rather than jiff)
        for (s, fast) in [
            ("2021-10-15T23:58:44.537Z", true),
            ("1970-01-01T00:00:00Z", true),
            ("1969-12-31T23:59:59.999999999Z", true),
            ("2000-02-29T12:00:00.5Z", true),
            ("2024-02-29T00:00:00.000Z", true),
            ("0001-01-01T00:00:00Z", true),
            ("9999-12-30T21:59:59.999Z", true),
            ("2026-12-02T07:01:30.000000001Z", true),
            ("2021-10-15T23:58:44.537+00:00", false),
            ("2021-10-15t23:58:44.537z", false),
            ("2021-10-15 23:58:44Z", false),
            ("2021-10-15T23:58:60Z", false),
            ("2021-10-15T24:00:00Z", false),
            ("2023-02-29T00:00:00Z", false),
            ("1900-02-29T00:00:00Z", false),
            ("2021-13-01T00:00:00Z", false),
            ("2021-00-01T00:00:00Z", false),
            ("2021-04-31T00:00:00Z", false),
            ("2021-10-15T23:58:44.Z", false),
            ("2021-10-15T23:58:44.1234567890Z", false),
            ("2021-10-15T23:58Z", false),
            ("+2021-10-15T23:58:44Z", false),
            ("2021-10-15T23:58:44", false),
            // Past the end of jiff's range (which keeps a day for offsets).
            ("9999-12-31T23:59:59.999Z", false),
            ("", false),
            ("not a time", false),
        ] {
            assert_eq!(canonical(s.as_bytes()).is_some(), fast, "{s}");
            assert_eq!(parse(s), jiff(s), "{s}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn any_canonical_looking_string_reads_as_jiff_reads_it(
            year in 0i64..10_000,
            month in 0i64..14,
            day in 0i64..33,
            hour in 0i64..26,
            minute in 0i64..61,
            second in 0i64..62,
            fraction in prop::option::of("[0-9]{0,10}"),
        ) {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            let s = format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z"
            );
            prop_assert_eq!(parse(&s), jiff(&s), "{}", s);
        }

        #[test]
        fn damaged_strings_read_as_jiff_reads_them(
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"0123456789-:.TZtz+ ".to_vec()),
            how in 0..3u8,
        ) {
            let mut s = b"2021-10-15T23:58:44.537Z".to_vec();
            let i = at.index(s.len() + 1);
            match how {
                0 => s.insert(i, byte),
                1 if i < s.len() => { s.remove(i); }
                _ => if i < s.len() { s[i] = byte },
            }
            let s = String::from_utf8(s).unwrap_or_default();
            prop_assert_eq!(parse(&s), jiff(&s), "{}", s);
        }
    }
}
