//! The bot's CPU-bound work (answering, rendering), off the async runtime and a bounded number
//! at a time. The queue belongs to the [`super::Bot`], which every shard and the HTTP
//! interactions endpoint of a process share, so the bound is per process.
//!
//! Without a bound, a burst of expensive requests each took a blocking thread (tokio allows
//! 512): every CPU was shared by all of them, so none finished inside Discord's 3 s and every
//! interaction of that moment was lost, a bystander's too. With as many requests running as
//! there are CPUs, the rest wait their turn in order, each finishes at full speed, and a
//! request still waiting when its acknowledgement is due is deferred (see
//! `discord::send::reply_in_time`). Autocomplete cannot be deferred: when its turn does not
//! come in time it gets no suggestions rather than a late answer Discord would discard.

use tokio::sync::Semaphore;
use tokio::time::Instant;

/// Longest an autocomplete waits for its turn in the queue, on the gateway and over HTTP
/// alike: its answer must still reach Discord inside 3 s, and a suggestion that late is of no
/// use to someone typing.
pub const AUTOCOMPLETE_WAIT: std::time::Duration = std::time::Duration::from_millis(1_000);

pub struct WorkQueue {
    running: Semaphore,
    at_once: usize,
}

impl Default for WorkQueue {
    /// As many at once as there are CPUs.
    fn default() -> Self {
        WorkQueue::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

impl WorkQueue {
    /// A queue that runs at most `at_once` pieces of work together.
    pub fn new(at_once: usize) -> Self {
        let at_once = at_once.max(1);
        WorkQueue {
            running: Semaphore::new(at_once),
            at_once,
        }
    }

    /// How many pieces of work run together at most.
    pub fn at_once(&self) -> usize {
        self.at_once
    }

    /// Runs `work` on a blocking thread once its turn comes. `None` if it panicked (logged).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let _turn = self.running.acquire().await.ok()?;
        run_blocking(work).await
    }

    /// [`WorkQueue::run`], unless its turn has not come by `deadline`: then `None`, and
    /// `work` never runs.
    pub async fn run_before<T: Send + 'static>(
        &self,
        deadline: Instant,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let _turn = tokio::time::timeout_at(deadline, self.running.acquire())
            .await
            .ok()?
            .ok()?;
        run_blocking(work).await
    }
}

async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => Some(value),
        Err(err) => {
            tracing::error!(error = %err, "handler panicked");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn no_more_than_the_bound_runs_at_once_and_every_piece_runs() {
        let queue = Arc::new(WorkQueue::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (queue, running, most) = (queue.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    queue
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                            i
                        })
                        .await
                })
            })
            .collect();
        let mut done = Vec::new();
        for task in tasks {
            done.push(task.await.unwrap().unwrap());
        }
        assert_eq!(done, (0..8).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn work_whose_turn_does_not_come_in_time_never_runs() {
        let queue = Arc::new(WorkQueue::new(1));
        let busy = {
            let queue = queue.clone();
            tokio::spawn(async move {
                queue
                    .run(|| std::thread::sleep(Duration::from_millis(300)))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = ran.clone();
        let late = queue
            .run_before(Instant::now() + Duration::from_millis(20), move || {
                counted.fetch_add(1, Ordering::SeqCst)
            })
            .await;
        assert_eq!(late, None);
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        busy.await.unwrap().unwrap();
        let free = queue
            .run_before(Instant::now() + Duration::from_millis(200), || 7)
            .await;
        assert_eq!(free, Some(7));
    }

    #[tokio::test]
    async fn a_panic_is_reported_as_none_and_frees_its_turn() {
        let queue = WorkQueue::new(1);
        assert_eq!(queue.run(|| -> u8 { panic!("boom") }).await, None);
        assert_eq!(queue.run(|| 1).await, Some(1));
    }
}
