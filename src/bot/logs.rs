//! Local JSON-lines logs for admins: declined questions (to add alternate questions) and
//! feedback clicks (to find weak answers). User ids are hashed: the logs say "the same person
//! asked twice", not who.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Size at which a log is rotated: `declined.log` becomes `declined.log.1` (replacing the
/// previous one) and a new file starts, so a log takes at most twice this on disk.
pub const LOG_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// An append-only JSON-lines file; `None` path = switched off. Write errors are counted and
/// the line dropped, never fatal and never waited out: a full disk, or a FIFO or a device put
/// at the path, must not stop or delay answers (the append runs on the reply's path, holding
/// the log's lock). The first failure is a warning; further ones are quiet until the log can
/// be written again, so a broken path does not flood the log with a line per question.
///
/// Each line is written with one `write` call on a file opened in append mode, so an external
/// `logrotate` with `copytruncate` is safe too (a line lands whole in the old or the new file).
pub struct JsonLog {
    path: Option<PathBuf>,
    max_bytes: u64,
    /// Keeps concurrent lines whole.
    lock: Mutex<()>,
    /// Lines that could not be written since start.
    dropped: AtomicU64,
    /// Whether the last append failed (the warning was given).
    failing: AtomicBool,
}

impl JsonLog {
    pub fn new(path: Option<PathBuf>) -> Self {
        Self::with_max_bytes(path, LOG_MAX_BYTES)
    }

    pub fn with_max_bytes(path: Option<PathBuf>, max_bytes: u64) -> Self {
        JsonLog {
            path,
            max_bytes,
            lock: Mutex::new(()),
            dropped: AtomicU64::new(0),
            failing: AtomicBool::new(false),
        }
    }

    /// Lines lost to write errors since start.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    pub fn append(&self, mut entry: Value) {
        let Some(path) = &self.path else { return };
        if let Some(map) = entry.as_object_mut() {
            map.insert("time".into(), Value::String(now_rfc3339()));
        }
        // A question may quote the token (pasted by mistake): it is not kept.
        let line = crate::secrets::redact(&format!("{entry}\n")).into_owned();
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            // Only a regular file is rotated (renaming a FIFO or a device away would hide
            // the problem); `open_append` refuses anything else without blocking.
            let size = std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map_or(0, |m| m.len());
            if size > 0 && size + line.len() as u64 > self.max_bytes {
                let mut rotated = path.clone().into_os_string();
                rotated.push(".1");
                std::fs::rename(path, rotated)?;
            }
            let mut file = crate::files::open_append(path)?;
            file.write_all(line.as_bytes())
        })();
        match result {
            Ok(()) => {
                if self.failing.swap(false, Ordering::Relaxed) {
                    tracing::info!(path = %path.display(), dropped = self.dropped(), "log writable again");
                }
            }
            Err(err) => {
                let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if self.failing.swap(true, Ordering::Relaxed) {
                    tracing::debug!(path = %path.display(), error = %err, dropped, "cannot append to log; line dropped");
                } else {
                    tracing::warn!(path = %path.display(), error = %err, dropped, "cannot append to log; lines are dropped until it can be written");
                }
            }
        }
    }
}

/// `2024-05-01T12:00:00Z`.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// First 16 hex digits of the SHA-256 of the user id.
pub fn hash_user(user_id: u64) -> String {
    let digest = Sha256::digest(user_id.to_string().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Feedback counts since start, shown by `/about`.
#[derive(Default)]
pub struct Votes {
    up: AtomicU64,
    down: AtomicU64,
}

impl Votes {
    pub fn add(&self, up: bool) {
        let counter = if up { &self.up } else { &self.down };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// `(up, down)`.
    pub fn get(&self) -> (u64, u64) {
        (
            self.up.load(Ordering::Relaxed),
            self.down.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_a_log_is_rotated_by_size_and_lost_lines_are_counted() {
        // `declined.log` used to grow without bound; it is rotated at a size cap now.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("declined.log");
        let log = JsonLog::with_max_bytes(Some(path.clone()), 1_000);
        for i in 0..100 {
            log.append(serde_json::json!({ "question": "x".repeat(50), "i": i }));
        }
        let current = std::fs::metadata(&path).unwrap().len();
        let old = std::fs::metadata(dir.path().join("declined.log.1"))
            .unwrap()
            .len();
        assert!(current <= 1_000 && old <= 1_000, "{current} {old}");
        let last = std::fs::read_to_string(&path).unwrap();
        assert!(
            last.lines()
                .all(|l| serde_json::from_str::<Value>(l).is_ok()),
            "whole lines"
        );
        assert!(last.contains("\"i\":99"), "{last}");
        assert_eq!(log.dropped(), 0);
        // A log that cannot be written (its folder is a file) counts what it drops.
        let blocked = JsonLog::new(Some(path.join("x.log")));
        blocked.append(serde_json::json!({}));
        blocked.append(serde_json::json!({}));
        assert_eq!(blocked.dropped(), 2);
    }
    use serde_json::json;

    #[cfg(unix)]
    #[test]
    fn regression_a_log_that_is_a_fifo_drops_its_lines_at_once_and_is_left_in_place() {
        // Appending to a FIFO with no reader blocked in `open`, holding the lock: every
        // declined question's reply waited on it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("declined.log");
        if !crate::files::mkfifo(&path) {
            eprintln!("SKIPPED: mkfifo is not available");
            return;
        }
        // A cap of one byte: the second append would rotate a regular file.
        let log = JsonLog::with_max_bytes(Some(path.clone()), 1);
        let started = std::time::Instant::now();
        for _ in 0..3 {
            log.append(json!({"question": "a"}));
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(log.dropped(), 3);
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&path).unwrap().file_type().is_fifo());
        assert!(!dir.path().join("declined.log.1").exists(), "not rotated");
    }

    #[test]
    fn lines_are_appended_with_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/declined.log");
        let log = JsonLog::new(Some(path.clone()));
        log.append(json!({"question": "a"}));
        log.append(json!({"question": "b"}));
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["question"], "b");
        assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn user_ids_are_hashed() {
        let hash = hash_user(123_456_789);
        assert_eq!(hash.len(), 16);
        assert!(!hash.contains("123456789"));
        assert_eq!(hash, hash_user(123_456_789));
        assert_ne!(hash, hash_user(123_456_780));
    }
}
