//! Local JSON-lines logs for admins: declined questions (to add alternate questions) and
//! feedback clicks (to find weak answers). User ids are hashed: the logs say "the same person
//! asked twice", not who.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Size at which a log is rotated: `declined.log` becomes `declined.log.1` (replacing the
/// previous one) and a new file starts, so a log takes at most twice this on disk.
pub const LOG_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// An append-only JSON-lines file; `None` path = switched off. Write errors are logged and
/// counted, never fatal: a full disk must not stop answers.
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
        let line = format!("{entry}\n");
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            if size > 0 && size + line.len() as u64 > self.max_bytes {
                let mut rotated = path.clone().into_os_string();
                rotated.push(".1");
                std::fs::rename(path, rotated)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            file.write_all(line.as_bytes())
        })();
        if let Err(err) = result {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(path = %path.display(), error = %err, dropped, "cannot append to log; line dropped");
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
