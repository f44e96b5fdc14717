//! Message times in the user's local time zone, for display.
//!
//! Rule: no clock and no time-zone lookup here: the zone comes from the model (the runtime
//! reads the system zone once), so rendering is deterministic and testable.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

pub use crate::config::Clock;

/// The local calendar date of an instant.
pub fn local_date(ts: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(ts).date()
}

/// The local time of day of an instant, e.g. `14:05` or `2:05 pm`.
pub fn time_of_day(ts: Timestamp, tz: &TimeZone, clock: Clock) -> String {
    let dt = tz.to_datetime(ts);
    let (h, m) = (dt.hour(), dt.minute());
    match clock {
        Clock::H24 => format!("{h:02}:{m:02}"),
        Clock::H12 => {
            let suffix = if h < 12 { "am" } else { "pm" };
            let h12 = match h % 12 {
                0 => 12,
                h => h,
            };
            format!("{h12}:{m:02} {suffix}")
        }
    }
}

const MONTHS: [&str; 12] = [
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

/// A date separator label: `Tuesday, 24 November 2026`.
pub fn date_label(date: Date) -> String {
    let weekday = match date.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    };
    let month = usize::try_from(date.month() - 1)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or("?");
    format!("{weekday}, {} {month} {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_given_zone() {
        let ts: Timestamp = "2026-11-24T23:30:00Z".parse().unwrap();
        let utc = TimeZone::UTC;
        let plus2 = TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(time_of_day(ts, &utc, Clock::H24), "23:30");
        assert_eq!(time_of_day(ts, &plus2, Clock::H24), "01:30");
        assert_eq!(time_of_day(ts, &utc, Clock::H12), "11:30 pm");
        assert_eq!(time_of_day(ts, &plus2, Clock::H12), "1:30 am");
        assert_eq!(
            date_label(local_date(ts, &utc)),
            "Tuesday, 24 November 2026"
        );
        assert_eq!(
            date_label(local_date(ts, &plus2)),
            "Wednesday, 25 November 2026"
        );
    }
}
