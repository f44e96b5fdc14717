//! Reconnect delays. Only failed attempts count: a link that proved healthy (it stayed
//! connected for a while, or the server answered one of its pings) starts the count over. A
//! link that was healthy for a while and then dropped reconnects at once (a short jitter
//! only); attempts that keep failing back off exponentially (about 0.5 s doubling to 30 s),
//! with jitter. A link that connects and dies before it proved anything (a server that
//! accepts the socket and drops it at once) is a failed attempt too, or such a server would
//! be hit every half second forever.
//!
//! Why: a link that drops every half minute (a train, a roaming laptop) and comes back at once
//! each time must not wait longer each time; a server that is down must not be hammered.
//!
//! Rule: pure; the random source is injected (`FnMut() -> f64` in `[0, 1)`), so tests are exact.

use std::time::Duration;

/// Backoff limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackoffConfig {
    /// The first delay after a failure (before jitter).
    pub initial: Duration,
    /// The cap (before jitter).
    pub max: Duration,
    /// A link connected at least this long counts as healthy: when it drops, the next attempt
    /// follows within `healthy_jitter`.
    pub healthy_after: Duration,
    /// The longest wait after a healthy link dropped (the delay is uniform in `[0, this]`).
    pub healthy_jitter: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
            healthy_after: Duration::from_secs(10),
            healthy_jitter: Duration::from_millis(250),
        }
    }
}

/// The delay sequence for one socket.
pub struct Backoff<R> {
    config: BackoffConfig,
    /// Attempts that failed since the last link that reached connected.
    failures: u32,
    rng: R,
}

impl<R: FnMut() -> f64> Backoff<R> {
    /// A fresh backoff drawing jitter from `rng` (values in `[0, 1)`).
    pub fn new(config: BackoffConfig, rng: R) -> Self {
        Backoff {
            config,
            failures: 0,
            rng,
        }
    }

    /// The delay after an attempt that never reached connected (the connection, the upgrade,
    /// the hello or the Socket.IO connect failed): `initial * 2^failures` capped at `max`, then
    /// scaled by a random factor in `[0.5, 1.0)` ("equal jitter"), so many clients dropped at
    /// once do not return in step, yet no delay collapses to zero.
    pub fn after_failed_attempt(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.failures).unwrap_or(u32::MAX);
        let base = self
            .config
            .initial
            .saturating_mul(factor)
            .min(self.config.max);
        self.failures = self.failures.saturating_add(1);
        base.mul_f64(0.5 + self.draw() / 2.0)
    }

    /// The delay after a link that had reached connected was lost, `connected_for` after it
    /// connected; `answered_ping`: whether the server answered a ping of ours on it. A link
    /// healthy for `healthy_after` or longer clears the failures and is followed within
    /// `healthy_jitter`; a shorter one that answered a ping clears them and takes the first
    /// step of the backoff; one that proved nothing counts as a failed attempt.
    pub fn after_lost_link(&mut self, connected_for: Duration, answered_ping: bool) -> Duration {
        if connected_for >= self.config.healthy_after {
            self.failures = 0;
            self.config.healthy_jitter.mul_f64(self.draw())
        } else {
            if answered_ping {
                self.failures = 0;
            }
            self.after_failed_attempt()
        }
    }

    /// How many attempts failed since the last link that reached connected.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A jitter value in `[0, 1]`, whatever the random source returns.
    fn draw(&mut self) -> f64 {
        let r = (self.rng)();
        if r.is_finite() {
            r.clamp(0.0, 1.0)
        } else {
            0.0
        }
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

    const HEALTHY: Duration = Duration::from_secs(10);

    fn failures(rng_value: f64, n: usize) -> Vec<Duration> {
        let mut backoff = Backoff::new(BackoffConfig::default(), move || rng_value);
        (0..n).map(|_| backoff.after_failed_attempt()).collect()
    }

    fn tenths(delays: &[Duration]) -> Vec<u64> {
        delays
            .iter()
            .map(|d| (d.as_secs_f64() * 10.0).round() as u64)
            .collect()
    }

    #[test]
    fn failed_attempts_double_from_half_a_second_to_thirty_seconds() {
        // rng just below 1 → the top of the jitter range, i.e. the nominal delay.
        assert_eq!(
            tenths(&failures(0.999_999, 9)),
            vec![5, 10, 20, 40, 80, 160, 300, 300, 300]
        );
        // The bottom of the range is half of it.
        assert_eq!(
            tenths(&failures(0.0, 9)),
            vec![3, 5, 10, 20, 40, 80, 150, 150, 150]
        );
    }

    #[test]
    fn jitter_stays_within_half_to_full_for_failures() {
        let low = failures(0.0, 8);
        assert_eq!(low[0], Duration::from_millis(250));
        assert_eq!(low[7], Duration::from_secs(15));
        let mut rng = jitter_rng();
        let mut backoff = Backoff::new(BackoffConfig::default(), &mut rng);
        let mut nominal = Duration::from_millis(500);
        for _ in 0..100 {
            let d = backoff.after_failed_attempt();
            assert!(d >= nominal / 2 && d <= nominal, "{d:?} for {nominal:?}");
            nominal = (nominal * 2).min(Duration::from_secs(30));
        }
    }

    #[test]
    fn an_answered_ping_starts_the_count_over_however_short_the_link() {
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.0);
        for _ in 0..5 {
            backoff.after_failed_attempt();
        }
        assert_eq!(backoff.failures(), 5);
        assert_eq!(backoff.after_failed_attempt(), Duration::from_secs(8));
        // A link that connected for one second and answered a ping: the failures before it
        // are forgotten.
        assert_eq!(
            backoff.after_lost_link(Duration::from_secs(1), true),
            Duration::from_millis(250)
        );
        assert_eq!(backoff.failures(), 1);
        assert_eq!(backoff.after_failed_attempt(), Duration::from_millis(500));
    }

    #[test]
    fn links_that_die_before_proving_healthy_back_off_like_failed_attempts() {
        // A server that accepts the socket and drops it at once: the delay doubles to the
        // cap instead of staying at the first step forever.
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.999_999);
        let delays: Vec<Duration> = (0..9)
            .map(|_| backoff.after_lost_link(Duration::ZERO, false))
            .collect();
        assert_eq!(tenths(&delays), vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
        // Even nine seconds connected without an answered ping proves nothing.
        assert_eq!(
            tenths(&[backoff.after_lost_link(Duration::from_secs(9), false)]),
            vec![300]
        );
        // A link healthy for ten seconds starts over, with jitter only.
        assert!(backoff.after_lost_link(HEALTHY, false) <= Duration::from_millis(250));
        assert_eq!(backoff.failures(), 0);
    }

    #[test]
    fn short_links_that_answer_pings_never_grow_the_delay() {
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.999_999);
        for _ in 0..20 {
            let d = backoff.after_lost_link(Duration::from_secs(5), true);
            assert!(d <= Duration::from_millis(500), "{d:?}");
        }
    }

    #[test]
    fn a_healthy_link_reconnects_within_a_quarter_second() {
        for (rng, want) in [(0.0, 0), (0.5, 125), (0.999_999, 250)] {
            let mut backoff = Backoff::new(BackoffConfig::default(), move || rng);
            for _ in 0..7 {
                backoff.after_failed_attempt();
            }
            let d = backoff.after_lost_link(HEALTHY, false);
            assert_eq!((d.as_secs_f64() * 1000.0).round() as u64, want, "rng {rng}");
            assert_eq!(backoff.failures(), 0);
            // If that quick attempt fails, the backoff starts from the first step.
            assert!(backoff.after_failed_attempt() <= Duration::from_millis(500));
        }
        // Just below the threshold is not healthy: the first step of the backoff.
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.0);
        assert_eq!(
            backoff.after_lost_link(Duration::from_millis(9_999), true),
            Duration::from_millis(250)
        );
    }

    #[test]
    fn a_link_dropping_every_twelve_seconds_waits_at_most_a_quarter_second_each_time() {
        let mut rng = jitter_rng();
        let mut backoff = Backoff::new(BackoffConfig::default(), &mut rng);
        for _ in 0..1000 {
            let d = backoff.after_lost_link(Duration::from_secs(12), false);
            assert!(d <= Duration::from_millis(250), "{d:?}");
        }
    }

    #[test]
    fn healthy_jitter_spreads_over_the_whole_window() {
        let mut rng = jitter_rng();
        let mut backoff = Backoff::new(BackoffConfig::default(), &mut rng);
        let delays: Vec<Duration> = (0..1000)
            .map(|_| backoff.after_lost_link(HEALTHY, false))
            .collect();
        assert!(delays.iter().any(|d| *d < Duration::from_millis(50)));
        assert!(delays.iter().any(|d| *d > Duration::from_millis(200)));
    }

    #[test]
    fn broken_rng_values_are_tamed() {
        let mut backoff = Backoff::new(BackoffConfig::default(), || f64::NAN);
        assert_eq!(backoff.after_failed_attempt(), Duration::from_millis(250));
        assert_eq!(backoff.after_lost_link(HEALTHY, false), Duration::ZERO);
        let mut backoff = Backoff::new(BackoffConfig::default(), || 7.0);
        assert_eq!(backoff.after_failed_attempt(), Duration::from_millis(500));
        assert_eq!(
            backoff.after_lost_link(HEALTHY, false),
            Duration::from_millis(250)
        );
        let mut backoff = Backoff::new(BackoffConfig::default(), || -3.0);
        assert_eq!(backoff.after_failed_attempt(), Duration::from_millis(250));
        let mut backoff = Backoff::new(BackoffConfig::default(), || 0.0);
        for _ in 0..100 {
            backoff.after_failed_attempt();
        }
        assert_eq!(backoff.after_failed_attempt(), Duration::from_secs(15));
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
