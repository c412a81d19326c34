//! Rules of the admins' dashboard (F-DASH): the 30-day sparkline of invitations against
//! removals, counted per UTC day from the activity log and drawn as two polylines.

use serde::{Deserialize, Serialize};

/// Days the sparkline covers, today included.
pub const SPARK_DAYS: usize = 30;
/// Activity entries the dashboard lists.
pub const RECENT_ENTRIES: i64 = 10;

const DAY_MS: i64 = 86_400_000;

/// Invitations and removals (deletions and automatic removals) per day, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sparkline {
    /// Unix ms of the first day's midnight (UTC).
    pub start: i64,
    /// `[invitations, removals]` per day.
    pub days: Vec<[i64; 2]>,
}

impl Sparkline {
    /// The window ending with the day of `now`: (its first midnight, the end of today).
    pub fn window(now: i64) -> (i64, i64) {
        let today = now.div_euclid(DAY_MS) * DAY_MS;
        (today - (SPARK_DAYS as i64 - 1) * DAY_MS, today + DAY_MS)
    }

    pub fn empty(now: i64) -> Sparkline {
        Sparkline { start: Sparkline::window(now).0, days: vec![[0, 0]; SPARK_DAYS] }
    }

    /// Adds `n` to `series` (0 invitations, 1 removals) of day `day` (0 = the first);
    /// days outside the window are ignored.
    pub fn add(&mut self, day: i64, series: usize, n: i64) {
        if let (Ok(d), true) = (usize::try_from(day), series < 2) {
            if let Some(slot) = self.days.get_mut(d) {
                slot[series] += n;
            }
        }
    }

    pub fn totals(&self) -> [i64; 2] {
        self.days.iter().fold([0, 0], |t, d| [t[0] + d[0], t[1] + d[1]])
    }

    pub fn peak(&self) -> i64 {
        self.days.iter().flat_map(|d| d.iter().copied()).max().unwrap_or(0).max(1)
    }

    /// The SVG `points` of a series in a `w` × `h` box: x spread over the days, y from the
    /// bottom (0) to the top (the peak).
    pub fn points(&self, series: usize, w: f64, h: f64) -> String {
        let n = self.days.len().max(2) - 1;
        let peak = self.peak() as f64;
        self.days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let x = w * i as f64 / n as f64;
                let y = h - h * d[series.min(1)] as f64 / peak;
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The numbers in words, for the image's description.
    pub fn summary(&self) -> String {
        let [i, r] = self.totals();
        format!("In the last {SPARK_DAYS} days: {i} invitation{} and {r} removal{}.", if i == 1 { "" } else { "s" }, if r == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_ends_with_today_in_utc() {
        let now = 1_795_000_000_000; // 2026-11-18 11:06:40 UTC
        let (start, end) = Sparkline::window(now);
        assert_eq!(end - start, 30 * DAY_MS);
        assert_eq!(end, 1_795_046_400_000, "the end of 2026-11-18");
        assert_eq!(start % DAY_MS, 0);
    }

    #[test]
    fn counts_land_on_their_day_and_draw_from_the_bottom() {
        let mut s = Sparkline::empty(0);
        s.add(0, 0, 2);
        s.add(29, 1, 4);
        s.add(30, 0, 9);
        s.add(-1, 0, 9);
        s.add(3, 2, 9);
        assert_eq!(s.totals(), [2, 4]);
        assert_eq!(s.peak(), 4);
        let inv = s.points(0, 290.0, 40.0);
        assert!(inv.starts_with("0.0,20.0 10.0,40.0"), "{inv}");
        assert!(s.points(1, 290.0, 40.0).ends_with("290.0,0.0"));
        assert_eq!(s.summary(), "In the last 30 days: 2 invitations and 4 removals.");
        assert_eq!(Sparkline::empty(0).peak(), 1, "an empty chart is flat, not a division by zero");
    }
}
