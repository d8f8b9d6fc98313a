//! The one way the program reads a file, and the one way it opens a log to append to.
//!
//! Every file read — the knowledge file, the articles (`text_file`, `check --sources`,
//! `draft`), an eval set, the declined and feedback logs `misses` reads, the config file — is
//! a regular file only, at most its kind's size cap, read in bounded time, never blocking the
//! caller. A path can name anything: `/dev/zero` used to grow memory until allocation failed,
//! and a FIFO hung the read (and a reload, holding its lock) forever.
//!
//! A reload can arrive while an editor or a deploy tool rewrites the file in place; TOML cut
//! at a table boundary is still valid TOML, so a half-written file can pass every check. The
//! read is therefore repeated until the file's size and modification time are the same before
//! and after it and across a short settle, and the bytes read are as many as the size says.
//! (Replacing the file atomically with `mv` avoids the window entirely; see the README.)

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// Largest knowledge file read: 100k facts of the synthetic benchmark are ~60 MB, so this is
/// well above any real knowledge base and far below what would exhaust memory.
/// (`[knowledge] max_file_bytes` changes it.)
pub const DEFAULT_MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Largest article: a source is a press release or a report of a few hundred kilobytes;
/// a book-length report as plain text is a few megabytes.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest eval set: the shipped sets are under 100 KB (a few hundred questions); a set a
/// hundred times larger would take minutes to run on every reload anyway.
pub const MAX_EVAL_SET_BYTES: u64 = 16 * 1024 * 1024;
/// Largest log `misses` reads: the bot rotates its logs at 10 MiB (`bot::logs`), so this
/// holds a rotated pair, or a log written before rotation existed, several times over.
pub const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;
/// Largest config file: a config is a page of keys.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// A read that takes longer is abandoned (a stalled network mount).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(2);
/// Reads of a file that keeps changing before giving up.
const STABLE_ATTEMPTS: usize = 5;

/// What a file is: its size cap, and its name in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Knowledge,
    Article,
    EvalSet,
    Log,
    Config,
}

impl FileKind {
    pub const fn max_bytes(self) -> u64 {
        match self {
            FileKind::Knowledge => DEFAULT_MAX_FILE_BYTES,
            FileKind::Article => MAX_ARTICLE_BYTES,
            FileKind::EvalSet => MAX_EVAL_SET_BYTES,
            FileKind::Log => MAX_LOG_BYTES,
            FileKind::Config => MAX_CONFIG_BYTES,
        }
    }

    /// "eval set", for "cannot read eval set PATH: …".
    pub const fn name(self) -> &'static str {
        match self {
            FileKind::Knowledge => "knowledge file",
            FileKind::Article => "article",
            FileKind::EvalSet => "eval set",
            FileKind::Log => "log",
            FileKind::Config => "config file",
        }
    }

    const fn article(self) -> &'static str {
        match self {
            FileKind::Article | FileKind::EvalSet => "an",
            _ => "a",
        }
    }
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Named in the size error.
    pub kind: FileKind,
    pub max_bytes: u64,
    pub timeout: Duration,
    /// Wait this long after reading and check the file did not change meanwhile (zero: only
    /// compare before and after the read). Reloads of a live bot settle; one-shot commands
    /// need not.
    pub settle: Duration,
}

impl ReadLimits {
    /// The limits of a `kind` of file: its cap, the default timeout, no settle.
    pub const fn of(kind: FileKind) -> Self {
        ReadLimits {
            kind,
            max_bytes: kind.max_bytes(),
            timeout: DEFAULT_READ_TIMEOUT,
            settle: Duration::ZERO,
        }
    }

    /// These limits for another kind of file read along (the articles a knowledge file
    /// names): the same timeout and settle, and the smaller of the two caps, so that a
    /// small `max_file_bytes` bounds the articles too.
    pub fn for_kind(self, kind: FileKind) -> Self {
        ReadLimits {
            kind,
            max_bytes: self.max_bytes.min(kind.max_bytes()),
            ..self
        }
    }
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits::of(FileKind::Knowledge)
    }
}

/// Why a file could not be read (the message names no path: the caller adds it, or
/// [`FileError`] does).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error(
        "{size} bytes, more than the {max} bytes allowed for {} {}",
        kind.article(),
        kind.name()
    )]
    TooLarge { size: u64, max: u64, kind: FileKind },
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

impl ReadError {
    /// Whether nothing is at the path (an optional file may be absent).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound)
    }
}

/// A [`ReadError`] with the file's kind and path: "cannot read eval set q.toml: not a regular
/// file (a FIFO)". (The cause is part of the message rather than a `source`, so that printing
/// the error chain does not say it twice.)
#[derive(Debug, thiserror::Error)]
#[error("cannot read {} {}: {error}", kind.name(), path.display())]
pub struct FileError {
    pub kind: FileKind,
    pub path: PathBuf,
    pub error: ReadError,
}

/// The text of the `kind` of file at `path`, within that kind's limits.
pub fn read(kind: FileKind, path: &Path) -> Result<String, FileError> {
    read_text(path, &ReadLimits::of(kind)).map_err(|error| FileError {
        kind,
        path: path.to_path_buf(),
        error,
    })
}

/// Whether `path` names a regular file (following links), without opening it.
pub fn check_regular(path: &Path) -> Result<(), ReadError> {
    stamp(path).map(|_| ())
}

/// `path` opened to append to, created if absent, without ever blocking: a FIFO or a device
/// put in a log's place is refused rather than opened (opening a FIFO to write blocks until
/// a reader comes). The type is checked before opening, so nothing else is touched, and
/// again on the open file, since the path can be swapped in between; the open itself is
/// non-blocking so that the swap cannot block either.
pub fn open_append(path: &Path) -> std::io::Result<File> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(not_regular(&meta.file_type())),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    non_blocking(&mut options);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    Ok(file)
}

fn not_regular(kind: &std::fs::FileType) -> std::io::Error {
    std::io::Error::other(ReadError::NotRegular(describe(kind)))
}

/// `O_NONBLOCK`: opening a FIFO returns at once (to read: opened, then refused by type; to
/// write with no reader: an error). It changes nothing for a regular file.
fn non_blocking(options: &mut std::fs::OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = options;
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
        let too_large = |size: u64| ReadError::TooLarge {
            size,
            max: limits.max_bytes,
            kind: limits.kind,
        };
        if before.len > limits.max_bytes {
            return Err(too_large(before.len));
        }
        let bytes = match read_bounded(path.to_path_buf(), limits) {
            // It grew past the cap while being read: say how large it is now.
            Err(ReadError::TooLarge { size, .. }) => {
                let now = std::fs::metadata(path).map_or(size, |m| m.len());
                return Err(too_large(now.max(size)));
            }
            other => other?,
        };
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

/// At most `max_bytes + 1` bytes. The open is non-blocking and the open file's type checked,
/// so a FIFO put in place after [`stamp`]'s check is refused at once; the read runs on a
/// helper thread so that a read that stalls anyway (a network mount) cannot block the caller
/// past the timeout. Such a thread is left behind, blocked; the caller goes on.
fn read_bounded(path: PathBuf, limits: &ReadLimits) -> Result<Vec<u8>, ReadError> {
    let max = limits.max_bytes;
    let limits_kind = limits.kind;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("bounded-read".into())
        .spawn(move || {
            let result = (|| {
                let mut options = std::fs::OpenOptions::new();
                options.read(true);
                non_blocking(&mut options);
                let file = options.open(&path)?;
                let metadata = file.metadata()?;
                let kind = metadata.file_type();
                if !kind.is_file() {
                    return Err(ReadError::NotRegular(describe(&kind)));
                }
                // Room for the whole file up front: grown by doubling, the buffer of an 89 MB
                // file was 128 MB, and its last copy held the old 64 MB and the new at once.
                let size = metadata.len().min(max) as usize;
                let mut bytes = Vec::with_capacity(size + 1);
                file.take(max + 1).read_to_end(&mut bytes)?;
                if bytes.len() as u64 > max {
                    return Err(ReadError::TooLarge {
                        size: bytes.len() as u64,
                        max,
                        kind: limits_kind,
                    });
                }
                Ok(bytes)
            })();
            let _ = tx.send(result);
        })?;
    rx.recv_timeout(limits.timeout)
        .map_err(|_| ReadError::Timeout(limits.timeout))?
}

/// Makes a FIFO at `path` with `mkfifo`; false where that is not available (the caller
/// skips its FIFO half, saying so).
#[cfg(test)]
pub(crate) fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
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
            if mkfifo(&fifo) {
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

    #[cfg(unix)]
    #[test]
    fn a_fifo_swapped_in_after_the_type_check_is_refused_by_the_open_not_the_timeout() {
        // The open is non-blocking and checks the type of what it opened: the helper thread
        // does not stay blocked in `open` waiting for a writer.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.toml");
        if !mkfifo(&fifo) {
            eprintln!("SKIPPED: mkfifo is not available");
            return;
        }
        let limits = ReadLimits {
            timeout: Duration::from_secs(30),
            ..ReadLimits::default()
        };
        let started = std::time::Instant::now();
        let err = read_bounded(fifo, &limits).unwrap_err();
        assert!(err.to_string().contains("a FIFO"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn each_kind_has_its_cap_and_the_error_names_the_path_the_size_and_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("questions.toml");
        // Sparse: the size is there without the bytes.
        let file = File::create(&path).unwrap();
        file.set_len(MAX_EVAL_SET_BYTES + 1).unwrap();
        let err = read(FileKind::EvalSet, &path).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "cannot read eval set {}: {} bytes, more than the {} bytes allowed for an eval set",
                path.display(),
                MAX_EVAL_SET_BYTES + 1,
                MAX_EVAL_SET_BYTES
            )
        );
        file.set_len(MAX_CONFIG_BYTES + 1).unwrap();
        assert!(read(FileKind::EvalSet, &path).is_ok());
        let err = read(FileKind::Config, &path).unwrap_err().to_string();
        assert!(err.contains("allowed for a config file"), "{err}");
        // Articles read along a knowledge file take the smaller of the two caps.
        let small = ReadLimits {
            max_bytes: 1_000,
            ..ReadLimits::default()
        };
        assert_eq!(small.for_kind(FileKind::Article).max_bytes, 1_000);
        assert_eq!(
            ReadLimits::default().for_kind(FileKind::Article).max_bytes,
            MAX_ARTICLE_BYTES
        );
    }

    #[cfg(unix)]
    #[test]
    fn regression_a_log_path_that_is_a_fifo_or_a_device_is_refused_without_blocking() {
        // Opening a FIFO to append to blocked until a reader came, holding the log's lock.
        let dir = tempfile::tempdir().unwrap();
        let null = dir.path().join("null.log");
        std::os::unix::fs::symlink("/dev/null", &null).unwrap();
        let err = open_append(&null).unwrap_err();
        assert!(err.to_string().contains("a character device"), "{err}");
        let fifo = dir.path().join("fifo.log");
        if mkfifo(&fifo) {
            let started = std::time::Instant::now();
            let err = open_append(&fifo).unwrap_err();
            assert!(err.to_string().contains("a FIFO"), "{err}");
            assert!(started.elapsed() < Duration::from_secs(1));
        } else {
            eprintln!("SKIPPED the FIFO half: mkfifo is not available");
        }
        let plain = dir.path().join("plain.log");
        open_append(&plain).unwrap();
        assert!(plain.is_file());
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
