//! Reading a knowledge file or an article safely: regular files only, at most a size cap, in
//! bounded time, and only once the file has stopped changing.
//!
//! A reload can arrive while an editor or a deploy tool rewrites the file in place; TOML cut
//! at a table boundary is still valid TOML, so a half-written file can pass every check. The
//! read is therefore repeated until the file's size and modification time are the same before
//! and after it and across a short settle, and the bytes read are as many as the size says.
//! (Replacing the file atomically with `mv` avoids the window entirely; see the README.)

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// Largest knowledge file or article read: 100k facts of the synthetic benchmark are ~60 MB,
/// so this is well above any real knowledge base and far below what would exhaust memory.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// A read that takes longer is abandoned (a FIFO swapped in, a stalled network mount).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(2);
/// Reads of a file that keeps changing before giving up.
const STABLE_ATTEMPTS: usize = 5;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    pub max_bytes: u64,
    pub timeout: Duration,
    /// Wait this long after reading and check the file did not change meanwhile (zero: only
    /// compare before and after the read). Reloads of a live bot settle; one-shot commands
    /// need not.
    pub settle: Duration,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            timeout: DEFAULT_READ_TIMEOUT,
            settle: Duration::ZERO,
        }
    }
}

/// Why a file could not be read (the message names no path: the caller adds it).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("larger than the {max} bytes allowed")]
    TooLarge { max: u64 },
    #[error("reading took longer than {0:?}; abandoned")]
    Timeout(Duration),
    #[error("still changing after {STABLE_ATTEMPTS} reads (replace it atomically with `mv`)")]
    Unstable,
    /// Invalid UTF-8, located.
    #[error("invalid UTF-8 at line {line}, column {column} (byte {offset})")]
    Utf8 {
        line: usize,
        column: usize,
        offset: usize,
        /// The line, bad bytes shown as U+FFFD (for the diagnostic's caret).
        text: String,
    },
}

/// Size and modification time: what changes while a file is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Result<Stamp, ReadError> {
    // Follows symlinks: what matters is what the link names.
    let meta = std::fs::metadata(path)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(&kind)));
    }
    Ok(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// The text of the regular file at `path`, read within `limits` once it is stable.
pub fn read_text(path: &Path, limits: &ReadLimits) -> Result<String, ReadError> {
    let bytes = read_stable(path, limits)?;
    into_text(bytes)
}

/// Bytes as UTF-8, or the line and column of the first bad byte.
pub fn into_text(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let good = &err.as_bytes()[..offset];
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // `good` is valid UTF-8 up to `offset`.
        let column = std::str::from_utf8(&good[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        let rest = &err.as_bytes()[line_start..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        ReadError::Utf8 {
            line: good.iter().filter(|&&b| b == b'\n').count() + 1,
            column,
            offset,
            text: String::from_utf8_lossy(&rest[..line_end])
                .trim_end_matches('\r')
                .to_string(),
        }
    })
}

fn read_stable(path: &Path, limits: &ReadLimits) -> Result<Vec<u8>, ReadError> {
    for _ in 0..STABLE_ATTEMPTS {
        let before = stamp(path)?;
        if before.len > limits.max_bytes {
            return Err(ReadError::TooLarge {
                max: limits.max_bytes,
            });
        }
        let bytes = read_bounded(path.to_path_buf(), limits)?;
        if !limits.settle.is_zero() {
            std::thread::sleep(limits.settle);
        }
        let after = stamp(path)?;
        if before == after && bytes.len() as u64 == after.len {
            return Ok(bytes);
        }
        tracing::debug!(path = %path.display(), "file changed while being read; reading again");
    }
    Err(ReadError::Unstable)
}

/// At most `max_bytes + 1` bytes, on a helper thread so that a read that blocks (a FIFO put in
/// place after the check) cannot block the caller past the timeout. Such a thread is left
/// behind, blocked; the caller goes on.
fn read_bounded(path: PathBuf, limits: &ReadLimits) -> Result<Vec<u8>, ReadError> {
    let max = limits.max_bytes;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bounded-read".into())
        .spawn(move || {
            let result = (|| {
                let file = std::fs::File::open(&path)?;
                if !file.metadata()?.is_file() {
                    return Err(ReadError::NotRegular("not a regular file"));
                }
                let mut bytes = Vec::new();
                file.take(max + 1).read_to_end(&mut bytes)?;
                if bytes.len() as u64 > max {
                    return Err(ReadError::TooLarge { max });
                }
                Ok(bytes)
            })();
            let _ = tx.send(result);
        })?;
    rx.recv_timeout(limits.timeout)
        .map_err(|_| ReadError::Timeout(limits.timeout))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_dev_zero_and_fifos_are_refused_at_once() {
        // A knowledge file linked to /dev/zero used to grow memory until allocation failed,
        // and a FIFO hung the reload forever: anything but a regular file is refused.
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            let zero = dir.path().join("zero.toml");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            let err = read_text(&zero, &ReadLimits::default()).unwrap_err();
            assert!(matches!(err, ReadError::NotRegular(_)), "{err}");
            let fifo = dir.path().join("fifo.toml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let started = std::time::Instant::now();
                let err = read_text(&fifo, &ReadLimits::default()).unwrap_err();
                assert!(err.to_string().contains("FIFO"), "{err}");
                assert!(started.elapsed() < Duration::from_secs(1));
            } else {
                eprintln!("SKIPPED the FIFO half: mkfifo is not available");
            }
        }
        let err = read_text(dir.path(), &ReadLimits::default()).unwrap_err();
        assert!(err.to_string().contains("directory"), "{err}");
    }

    #[test]
    fn regression_a_file_over_the_size_cap_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "x".repeat(1_001)).unwrap();
        let limits = ReadLimits {
            max_bytes: 1_000,
            ..ReadLimits::default()
        };
        let err = read_text(&big, &limits).unwrap_err();
        assert!(err.to_string().contains("1000 bytes"), "{err}");
        std::fs::write(&big, "x".repeat(1_000)).unwrap();
        assert_eq!(read_text(&big, &limits).unwrap().len(), 1_000);
    }

    #[test]
    fn a_file_being_rewritten_is_read_again_until_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.toml");
        std::fs::write(&path, "a = 1\n").unwrap();
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                // Appends for 300 ms, a line every 20 ms: an in-place rewrite in progress.
                for i in 0..15 {
                    let mut text = std::fs::read_to_string(&path).unwrap();
                    text.push_str(&format!("k{i} = {i}\n"));
                    std::fs::write(&path, text).unwrap();
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        std::thread::sleep(Duration::from_millis(30));
        let limits = ReadLimits {
            settle: Duration::from_millis(100),
            ..ReadLimits::default()
        };
        let result = read_text(&path, &limits);
        writer.join().unwrap();
        match result {
            // Either it waited out the writer and has the whole file, or it gave up.
            Ok(text) => assert!(text.ends_with("k14 = 14\n"), "partial: {text:?}"),
            Err(err) => assert!(matches!(err, ReadError::Unstable), "{err}"),
        }
    }

    #[test]
    fn regression_invalid_utf8_is_located() {
        // Invalid UTF-8 used to be reported with no location.
        let err = into_text(b"a = 1\nb = \"x\xffy\"\n".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at line 2, column 7 (byte 12)"
        );
        let err = into_text(b"\xc3\xa9\n\xc3\xa9z\x80".to_vec()).unwrap_err();
        assert!(err.to_string().contains("line 2, column 3"), "{err}");
    }
}
