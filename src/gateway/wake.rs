//! Wake-from-suspend detection: the monotonic clock stops while the machine sleeps, the wall
//! clock does not, so a wall-clock jump far beyond the monotonic time that passed means the
//! link is stale (the server dropped us long ago) and must be rebuilt.
//!
//! Rule: pure; the worker feeds it both clock readings, tests feed invented ones.

use std::time::{Duration, Instant, SystemTime};

/// Compares the two clocks between wake-ups of a worker.
#[derive(Debug, Clone)]
pub struct WakeDetector {
    last_wall: SystemTime,
    last_mono: Instant,
    threshold: Duration,
}

impl WakeDetector {
    /// `threshold` is how far the wall clock may run ahead of the monotonic one before a
    /// suspend is assumed; pick it far beyond the heartbeat interval (NTP steps are small).
    pub fn new(wall: SystemTime, mono: Instant, threshold: Duration) -> Self {
        WakeDetector {
            last_wall: wall,
            last_mono: mono,
            threshold,
        }
    }

    /// The threshold for a heartbeat interval: three intervals, at least 30 s.
    pub fn threshold_for(ping_interval: Duration) -> Duration {
        ping_interval.saturating_mul(3).max(Duration::from_secs(30))
    }

    /// Change the threshold (once the hello says the ping interval).
    pub fn set_threshold(&mut self, threshold: Duration) {
        self.threshold = threshold;
    }

    /// Record a reading; true when the machine evidently slept since the previous one.
    pub fn check(&mut self, wall: SystemTime, mono: Instant) -> bool {
        let mono_elapsed = mono.saturating_duration_since(self.last_mono);
        // A wall clock set backwards gives an error here: that is no suspend.
        let wall_elapsed = wall
            .duration_since(self.last_wall)
            .unwrap_or(Duration::ZERO);
        self.last_wall = wall;
        self.last_mono = mono;
        wall_elapsed.saturating_sub(mono_elapsed) > self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_jump_beyond_the_threshold_is_a_wake() {
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mono = Instant::now();
        let mut detector = WakeDetector::new(wall, mono, Duration::from_secs(30));
        // Normal running: both clocks advance together.
        assert!(!detector.check(
            wall + Duration::from_secs(25),
            mono + Duration::from_secs(25)
        ));
        // Small NTP step forward: tolerated.
        assert!(!detector.check(
            wall + Duration::from_secs(55),
            mono + Duration::from_secs(50)
        ));
        // Laptop lid closed for an hour: monotonic time barely moved.
        assert!(detector.check(
            wall + Duration::from_secs(3_655),
            mono + Duration::from_secs(51)
        ));
        // The next tick is normal again.
        assert!(!detector.check(
            wall + Duration::from_secs(3_680),
            mono + Duration::from_secs(76)
        ));
    }

    #[test]
    fn a_wall_clock_set_backwards_is_no_wake() {
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mono = Instant::now();
        let mut detector = WakeDetector::new(wall, mono, Duration::from_secs(30));
        assert!(!detector.check(
            wall - Duration::from_secs(3_600),
            mono + Duration::from_secs(1)
        ));
    }

    #[test]
    fn threshold_scales_with_the_heartbeat() {
        assert_eq!(
            WakeDetector::threshold_for(Duration::from_secs(25)),
            Duration::from_secs(75)
        );
        assert_eq!(
            WakeDetector::threshold_for(Duration::from_millis(200)),
            Duration::from_secs(30)
        );
    }
}
