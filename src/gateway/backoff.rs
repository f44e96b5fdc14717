//! Reconnect delays: jittered exponential backoff (about 0.5 s doubling to 30 s), reset once a
//! link has stayed up for a stable minute.
//!
//! Rule: pure; the random source is injected (`FnMut() -> f64` in `[0, 1)`), so tests are exact.

use std::time::Duration;

/// Backoff limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackoffConfig {
    /// The first delay (before jitter).
    pub initial: Duration,
    /// The cap (before jitter).
    pub max: Duration,
    /// A link that stayed connected this long resets the delay to `initial`.
    pub stable_after: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
            stable_after: Duration::from_secs(60),
        }
    }
}

/// The delay sequence for one socket.
pub struct Backoff<R> {
    config: BackoffConfig,
    attempt: u32,
    rng: R,
}

impl<R: FnMut() -> f64> Backoff<R> {
    /// A fresh backoff drawing jitter from `rng` (values in `[0, 1)`).
    pub fn new(config: BackoffConfig, rng: R) -> Self {
        Backoff {
            config,
            attempt: 0,
            rng,
        }
    }

    /// The next delay: `initial * 2^n` capped at `max`, then scaled by a random factor in
    /// `[0.5, 1.0)` ("equal jitter"), so many clients dropped at once do not return in step,
    /// yet no delay collapses to zero.
    pub fn next_delay(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt).unwrap_or(u32::MAX);
        let base = self
            .config
            .initial
            .saturating_mul(factor)
            .min(self.config.max);
        self.attempt = self.attempt.saturating_add(1);
        let r = (self.rng)();
        let r = if r.is_finite() {
            r.clamp(0.0, 1.0)
        } else {
            0.0
        };
        base.mul_f64(0.5 + r / 2.0)
    }

    /// Start over from `initial` (after a stable link).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Reset if a link was up for at least `stable_after`.
    pub fn link_was_up(&mut self, for_how_long: Duration) {
        if for_how_long >= self.config.stable_after {
            self.reset();
        }
    }

    /// How many delays were handed out since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }
}

/// A small xorshift generator seeded from the OS (through uuid v4), for jitter only.
pub fn jitter_rng() -> impl FnMut() -> f64 + Send + 'static {
    let seed = uuid::Uuid::new_v4().as_u128();
    let mut state = ((seed as u64) ^ ((seed >> 64) as u64)) | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // 53 random bits into [0, 1).
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delays(rng_value: f64, n: usize) -> Vec<Duration> {
        let mut backoff = Backoff::new(BackoffConfig::default(), move || rng_value);
        (0..n).map(|_| backoff.next_delay()).collect()
    }

    #[test]
    fn doubles_from_half_a_second_to_thirty_seconds() {
        // rng just below 1 → the top of the jitter range, i.e. the nominal delay.
        let top: Vec<u64> = delays(0.999_999, 9)
            .iter()
            .map(|d| (d.as_secs_f64() * 10.0).round() as u64)
            .collect();
        assert_eq!(top, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn jitter_stays_within_half_to_full() {
        let low = delays(0.0, 8);
        assert_eq!(low[0], Duration::from_millis(250));
        assert_eq!(low[7], Duration::from_secs(15));
        let mut rng = jitter_rng();
        let mut backoff = Backoff::new(BackoffConfig::default(), &mut rng);
        for _ in 0..100 {
            let d = backoff.next_delay();
            assert!(
                d >= Duration::from_millis(250) && d <= Duration::from_secs(30),
                "{d:?}"
            );
        }
    }

    #[test]
    fn a_stable_minute_resets_a_short_blip_does_not() {
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.0);
        for _ in 0..5 {
            backoff.next_delay();
        }
        backoff.link_was_up(Duration::from_secs(59));
        assert_eq!(backoff.attempts(), 5);
        assert_eq!(backoff.next_delay(), Duration::from_secs(8));
        backoff.link_was_up(Duration::from_secs(60));
        assert_eq!(backoff.attempts(), 0);
        assert_eq!(backoff.next_delay(), Duration::from_millis(250));
    }

    #[test]
    fn broken_rng_values_are_tamed() {
        let mut backoff = Backoff::new(BackoffConfig::default(), || f64::NAN);
        assert_eq!(backoff.next_delay(), Duration::from_millis(250));
        let mut backoff = Backoff::new(BackoffConfig::default(), || 7.0);
        assert_eq!(backoff.next_delay(), Duration::from_millis(500));
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.0);
        for _ in 0..100 {
            backoff.next_delay();
        }
        assert_eq!(backoff.next_delay(), Duration::from_secs(15));
    }

    #[test]
    fn jitter_rng_yields_unit_interval_values() {
        let mut rng = jitter_rng();
        let values: Vec<f64> = (0..1000).map(|_| rng()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let distinct: std::collections::HashSet<u64> = values.iter().map(|v| v.to_bits()).collect();
        assert!(distinct.len() > 990);
    }
}
