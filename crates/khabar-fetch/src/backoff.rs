//! When to poll a source again.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// Longest Retry-After we obey beyond the cap: a server asking for a month
/// off would otherwise make us give the source up for good.
const RETRY_AFTER_CEILING: Duration = Duration::from_secs(7 * 24 * 3600);

/// Delay before the next poll of a source after `consecutive_failures`
/// failures in a row: `base * 2^(failures-1)`, ±10% jitter (so sources
/// that failed together do not retry together), never above `cap`, and
/// never giving up. A server's Retry-After wins when it is longer (itself
/// bounded by the larger of `cap` and seven days).
pub fn next_poll_delay(
    consecutive_failures: u32,
    base: Duration,
    cap: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = consecutive_failures.saturating_sub(1).min(31);
    let raw = base.saturating_mul(1u32 << exp).min(cap);
    let factor = rand::rng().random_range(0.9..=1.1);
    let jittered = Duration::try_from_secs_f64(raw.as_secs_f64() * factor)
        .unwrap_or(raw)
        .min(cap);
    match retry_after {
        Some(ra) => jittered.max(ra.min(cap.max(RETRY_AFTER_CEILING))),
        None => jittered,
    }
}

/// Reads a Retry-After header value: delay-seconds or an HTTP-date
/// (RFC 9110 §10.2.3). A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(v.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const CAP: Duration = Duration::from_secs(6 * 3600);

    fn within(d: Duration, expected: Duration) -> bool {
        let lo = expected.mul_f64(0.9) - Duration::from_millis(1);
        let hi = expected.mul_f64(1.1) + Duration::from_millis(1);
        d >= lo && d <= hi
    }

    #[test]
    fn doubles_per_failure_with_bounded_jitter() {
        for _ in 0..50 {
            assert!(within(next_poll_delay(1, MIN, CAP, None), MIN));
            assert!(within(next_poll_delay(2, MIN, CAP, None), 2 * MIN));
            assert!(within(next_poll_delay(5, MIN, CAP, None), 16 * MIN));
        }
    }

    #[test]
    fn capped_and_never_gives_up() {
        for f in [10, 20, 1000, u32::MAX] {
            let d = next_poll_delay(f, MIN, CAP, None);
            assert!(
                d <= CAP && d >= CAP.mul_f64(0.9) - Duration::from_millis(1),
                "{f}: {d:?}"
            );
        }
    }

    #[test]
    fn retry_after_wins_when_longer() {
        let ra = Duration::from_secs(3 * 3600);
        assert_eq!(next_poll_delay(1, MIN, CAP, Some(ra)), ra);
        // A shorter Retry-After does not shorten the backoff.
        assert!(within(next_poll_delay(5, MIN, CAP, Some(MIN)), 16 * MIN));
        let month = Duration::from_secs(30 * 24 * 3600);
        assert_eq!(
            next_poll_delay(1, MIN, CAP, Some(month)),
            RETRY_AFTER_CEILING
        );
    }

    #[test]
    fn parses_both_retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
