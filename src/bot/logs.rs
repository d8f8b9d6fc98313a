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

/// An append-only JSON-lines file; `None` path = switched off. Write errors are logged, never
/// fatal: a full disk must not stop answers.
pub struct JsonLog {
    path: Option<PathBuf>,
    /// Keeps concurrent lines whole.
    lock: Mutex<()>,
}

impl JsonLog {
    pub fn new(path: Option<PathBuf>) -> Self {
        JsonLog {
            path,
            lock: Mutex::new(()),
        }
    }

    pub fn append(&self, mut entry: Value) {
        let Some(path) = &self.path else { return };
        if let Some(map) = entry.as_object_mut() {
            map.insert("time".into(), Value::String(now_rfc3339()));
        }
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            writeln!(file, "{entry}")
        })();
        if let Err(err) = result {
            tracing::warn!(path = %path.display(), error = %err, "cannot append to log");
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
