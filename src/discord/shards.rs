//! Which gateway shards this process runs, and when it may IDENTIFY them.
//!
//! Discord sends a guild's events to shard `(guild_id >> 22) % total` only, and past 2,500
//! guilds a bot must shard. `[discord] shards` picks this process's part: `"auto"` (the
//! default) runs every shard Discord recommends in `GET /gateway/bot` — one process, as before
//! — and `{ total, first, count }` runs shards `first .. first + count` of `total`, so several
//! processes split the work. Serenity's shard manager runs the range
//! (`Client::start_shard_range`); this module only decides it.
//!
//! # IDENTIFY pacing
//! Discord allows one IDENTIFY per 5 s in each `max_concurrency` bucket
//! (`shard_id % max_concurrency`). Serenity 0.12's shard queuer starts one shard per 5 s in a
//! process whatever `max_concurrency` says — never too fast within a process, only slower than
//! allowed when `max_concurrency > 1`. Processes do not know of each other, though: two that
//! start together would IDENTIFY their first shards at the same moment. So a process whose
//! range does not start at shard 0 first waits [`identify_delay`]: `5 s × first`, which lays
//! all processes' IDENTIFYs on one 5 s grid when they start together (shard `s` at `5 s × s`),
//! unless `max_concurrency ≥ total`, when every shard has its own bucket and nobody waits.
//! A later reconnect that collides anyway is refused by Discord (INVALID_SESSION) and
//! serenity identifies again.

use std::fmt;
use std::ops::Range;
use std::time::Duration;

use crate::config::Shards;

/// Discord's IDENTIFY window per `max_concurrency` bucket, and serenity's wait between
/// shard starts.
pub const IDENTIFY_INTERVAL: Duration = Duration::from_secs(5);

/// What this process runs: shards `ids` of `total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub total: u32,
    pub ids: Range<u32>,
    /// From `GET /gateway/bot` (`session_start_limit.max_concurrency`, at least 1).
    pub max_concurrency: u64,
}

impl Plan {
    /// The plan for `shards`, given what `GET /gateway/bot` recommended.
    pub fn new(shards: Shards, recommended: u32, max_concurrency: u64) -> Plan {
        let max_concurrency = max_concurrency.max(1);
        match shards {
            Shards::Auto => {
                let total = recommended.max(1);
                Plan {
                    total,
                    ids: 0..total,
                    max_concurrency,
                }
            }
            Shards::Range(range) => Plan {
                total: range.total,
                ids: range.ids(),
                max_concurrency,
            },
        }
    }

    /// The argument serenity's `Client::start_shard_range` wants: its range's `end` is the
    /// *last* shard (serenity 0.12 starts `start..=end`), not one past it.
    pub fn serenity_range(&self) -> Range<u32> {
        self.ids.start..self.ids.end.saturating_sub(1).max(self.ids.start)
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ids.len() == 1 {
            write!(f, "shard {} of {}", self.ids.start, self.total)
        } else {
            write!(
                f,
                "shards {}–{} of {}",
                self.ids.start,
                self.ids.end - 1,
                self.total
            )
        }
    }
}

/// How long this process waits before its first IDENTIFY (see the module docs).
pub fn identify_delay(plan: &Plan) -> Duration {
    if plan.max_concurrency >= u64::from(plan.total) {
        Duration::ZERO
    } else {
        IDENTIFY_INTERVAL * plan.ids.start
    }
}

/// The shard that receives a guild's events: `(guild_id >> 22) % total` (Discord's rule).
pub fn shard_of_guild(guild_id: u64, total: u32) -> u32 {
    // The remainder is below `total`, so it fits.
    ((guild_id >> 22) % u64::from(total.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ShardRange;

    fn range(total: u32, first: u32, count: u32) -> Shards {
        Shards::Range(ShardRange::new(total, first, count).unwrap())
    }

    #[test]
    fn auto_runs_every_recommended_shard() {
        let plan = Plan::new(Shards::Auto, 3, 1);
        assert_eq!(plan.ids, 0..3);
        assert_eq!(plan.total, 3);
        // A (broken) recommendation of 0 still runs one shard.
        assert_eq!(Plan::new(Shards::Auto, 0, 0).ids, 0..1);
    }

    #[test]
    fn a_range_ignores_the_recommendation() {
        let plan = Plan::new(range(16, 4, 4), 1, 1);
        assert_eq!((plan.total, plan.ids.clone()), (16, 4..8));
        assert_eq!(plan.to_string(), "shards 4–7 of 16");
        assert_eq!(Plan::new(range(2, 1, 1), 1, 1).to_string(), "shard 1 of 2");
    }

    #[test]
    fn serenitys_range_ends_at_the_last_shard() {
        assert_eq!(Plan::new(range(16, 4, 4), 1, 1).serenity_range(), 4..7);
        assert_eq!(Plan::new(range(2, 1, 1), 1, 1).serenity_range(), 1..1);
        assert_eq!(Plan::new(Shards::Auto, 1, 1).serenity_range(), 0..0);
    }

    #[test]
    fn processes_take_turns_unless_every_shard_has_its_own_bucket() {
        // max_concurrency 1: shard s identifies at 5 s × s.
        assert_eq!(
            identify_delay(&Plan::new(range(16, 0, 4), 1, 1)),
            Duration::ZERO
        );
        assert_eq!(
            identify_delay(&Plan::new(range(16, 4, 4), 1, 1)),
            Duration::from_secs(20)
        );
        // A bucket per shard: nobody waits.
        assert_eq!(
            identify_delay(&Plan::new(range(16, 12, 4), 1, 16)),
            Duration::ZERO
        );
        // Fewer buckets than shards: still one grid (never faster than allowed).
        assert_eq!(
            identify_delay(&Plan::new(range(16, 8, 8), 1, 4)),
            Duration::from_secs(40)
        );
    }

    #[test]
    fn a_guild_belongs_to_one_shard() {
        // A real snowflake: its timestamp part (>> 22) is 9959216934, even.
        assert_eq!(41_771_983_423_143_937u64 >> 22, 9_959_216_934);
        assert_eq!(shard_of_guild(41_771_983_423_143_937, 2), 0);
        assert_eq!(shard_of_guild(41_771_983_423_143_937, 5), 4);
        assert_eq!(shard_of_guild(5 << 22, 4), 1);
        assert_eq!(shard_of_guild(5 << 22, 0), 0);
    }
}
