//! When a REST call is retried and how long it waits first: 429 honours `Retry-After`,
//! 5xx/connection errors/timeouts back off exponentially, both a bounded number of times.
//!
//! Rule: pure decisions (no sleeping here), so the policy is unit-tested without a clock.

use std::time::Duration;

/// Limits for one logical REST call (all its attempts together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Timeout of each single attempt (connect + request + body).
    pub request_timeout: Duration,
    /// Retries after a 5xx, a connection error or a timeout.
    pub max_retries: u32,
    /// Waits after a 429 before giving up with `ApiError::RateLimited`.
    pub max_rate_limit_waits: u32,
    /// First backoff delay after a failure; doubles each retry.
    pub base_delay: Duration,
    /// Cap of the exponential backoff.
    pub max_delay: Duration,
    /// Wait after a 429 that carries no (usable) `Retry-After` header.
    pub default_retry_after: Duration,
    /// Cap on any `Retry-After`, so a broken server cannot park a call for hours.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            request_timeout: Duration::from_secs(15),
            max_retries: 3,
            max_rate_limit_waits: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            default_retry_after: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based) after a 5xx or transport failure, or
    /// `None` when the retries are used up.
    pub fn backoff(&self, retry: u32) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        Some(self.base_delay.saturating_mul(factor).min(self.max_delay))
    }

    /// The wait after 429 number `wait` (0-based) given the `Retry-After` header, or `None`
    /// when the waits are used up.
    pub fn rate_limit_wait(&self, wait: u32, retry_after: Option<&str>) -> Option<Duration> {
        if wait >= self.max_rate_limit_waits {
            return None;
        }
        let delay = parse_retry_after(retry_after).unwrap_or(self.default_retry_after);
        Some(delay.min(self.max_retry_after))
    }
}

/// `Retry-After` in seconds (Guilded sends seconds; fractions are accepted as guilded.py does).
/// HTTP-dates and garbage give `None`, so the caller uses its default.
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(secs).ok()
}

/// Whether a status code is worth retrying as a transient server failure.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps_then_stops() {
        let policy = RetryPolicy {
            max_retries: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        let delays: Vec<_> = (0..7).map(|n| policy.backoff(n)).collect();
        assert_eq!(
            delays,
            vec![
                Some(Duration::from_millis(250)),
                Some(Duration::from_millis(500)),
                Some(Duration::from_secs(1)),
                Some(Duration::from_secs(1)),
                Some(Duration::from_secs(1)),
                Some(Duration::from_secs(1)),
                None,
            ]
        );
    }

    #[test]
    fn huge_retry_numbers_do_not_overflow() {
        let policy = RetryPolicy {
            max_retries: u32::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff(40), Some(policy.max_delay));
    }

    #[test]
    fn retry_after_is_seconds_with_a_default_and_a_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.rate_limit_wait(0, Some("2")),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some(" 0.5 ")),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            policy.rate_limit_wait(0, None),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some("-3")),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some("NaN")),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.rate_limit_wait(0, Some("99999")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(policy.rate_limit_wait(3, Some("1")), None);
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for status in [500, 502, 503, 504] {
            assert!(is_retryable_status(status), "{status}");
        }
        for status in [200, 400, 401, 403, 404, 429, 501] {
            assert!(!is_retryable_status(status), "{status}");
        }
    }
}
