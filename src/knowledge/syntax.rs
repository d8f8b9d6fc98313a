//! Reading `knowledge.toml` into the raw model: parsed once, a part at a time.
//!
//! Each part of the file (`split.rs`) is parsed into a `toml_edit` document, checked for shape
//! on that document (`shape.rs`), then deserialized from the same document into the serde
//! model (`raw.rs`); the document is gone before the thread takes its next part. So the file
//! is parsed once (it used to be parsed twice: once by `toml_edit` for the shape, once more by
//! `toml`'s deserializer), and the syntax trees alive at any time are one part's per thread
//! rather than the whole file's (about twelve times the file: 1.2 GB for 100k facts). Parts
//! are parsed on every CPU.
//!
//! What is reported is what parsing the whole file reports: the first syntax error, every
//! shape problem, each located in the file. Where a part alone cannot tell — a top-level
//! table defined in two parts, which the whole file may reject as a duplicate — the file is
//! parsed whole.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use toml_edit::ImDocument;

use super::raw::{RawFile, RawPart};
use super::shape::{self, Problem};
use super::split::{self, Piece};

/// About how much of the file one thread parses at a time: its syntax tree is about twelve
/// times this, and a part this size (some thousand facts) is long enough that starting a
/// parse costs nothing next to it.
pub(crate) const PART_BYTES: usize = 256 << 10;

/// The file, parsed.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The shape problems of the whole file, located in it.
    pub shape: shape::Report,
    /// The serde model; `Err(Some(_))`: the first part the model could not be read from, and
    /// why; `Err(None)`: a required top-level key is missing (which `shape` reports).
    pub raw: Result<RawFile, Option<Problem>>,
    /// How the file was read.
    pub stats: Stats,
}

/// How the file was read (for tests: that it is parsed once, a part at a time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Parts given to the parser.
    pub parts: usize,
    /// Bytes given to the parser, all parts together.
    pub bytes_parsed: usize,
    /// The longest part.
    pub largest_part: usize,
}

/// Parses `text` in parts of about `part_bytes`. `Err`: the first syntax error.
pub(crate) fn parse(text: &str, part_bytes: usize) -> Result<Parsed, Problem> {
    let whole = || {
        vec![Piece {
            range: 0..text.len(),
            tables: Vec::new(),
        }]
    };
    let pieces = split::split(text, part_bytes).unwrap_or_else(whole);
    let mut stats = Stats::default();
    let parts = parse_pieces(text, &pieces, &mut stats);
    if pieces.len() > 1 && defined_in_two_parts(&pieces, &parts) {
        let pieces = whole();
        let parts = parse_pieces(text, &pieces, &mut stats);
        return join(&pieces, parts, stats);
    }
    join(&pieces, parts, stats)
}

/// What one part gave.
#[derive(Clone)]
struct Part {
    /// The top-level keys its document defines, and whether each is an array of tables.
    keys: Vec<(String, bool)>,
    shape: shape::Report,
    raw: Result<RawPart, Problem>,
}

/// Parses each piece, on every CPU, in order of the file; stops at the first syntax error
/// (nothing after it is looked at, as when parsing the whole file).
fn parse_pieces(
    text: &str,
    pieces: &[Piece],
    stats: &mut Stats,
) -> Vec<Option<Result<Part, Problem>>> {
    let next = AtomicUsize::new(0);
    // The first piece with a syntax error: later ones need not be parsed.
    let first_error = AtomicUsize::new(usize::MAX);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(pieces.len());
    let mut results: Vec<Option<Result<Part, Problem>>> =
        std::iter::repeat_with(|| None).take(pieces.len()).collect();
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= pieces.len() || i > first_error.load(Ordering::Relaxed) {
                return done;
            }
            let part = parse_piece(&text[pieces[i].range.clone()]);
            if part.is_err() {
                first_error.fetch_min(i, Ordering::Relaxed);
            }
            done.push((i, part));
        }
    };
    let finished: Vec<Vec<(usize, Result<Part, Problem>)>> = if threads <= 1 {
        vec![work()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    for (i, part) in finished.into_iter().flatten() {
        let len = pieces[i].range.len();
        stats.parts += 1;
        stats.bytes_parsed += len;
        stats.largest_part = stats.largest_part.max(len);
        results[i] = Some(part);
    }
    results
}

/// One piece of text: parsed, checked for shape, deserialized, and its tree dropped. Spans
/// are the piece's own. The tree and the model taken from it are made in a heap of their own
/// and the model copied out: the model's strings, made among the tree's nodes, would pin the
/// pages the freed tree leaves around them (at 100k facts, about 110 MB more at the reload's
/// peak, and 70 MB more served once the strings are moved into the knowledge base).
fn parse_piece(text: &str) -> Result<Part, Problem> {
    crate::memory::with_scratch_heap(|| parse_piece_here(text), Clone::clone)
}

fn parse_piece_here(text: &str) -> Result<Part, Problem> {
    let doc = ImDocument::parse(text)
        .map_err(|err| (err.span().unwrap_or(0..0), err.message().trim().to_string()))?;
    let keys = doc
        .as_table()
        .iter()
        .map(|(key, item)| (key.to_string(), item.is_array_of_tables()))
        .collect();
    let shape = shape::check_part(&doc);
    let raw = RawPart::deserialize(toml_edit::de::Deserializer::from(doc))
        .map_err(|err| (err.span().unwrap_or(0..0), err.message().trim().to_string()));
    Ok(Part { keys, shape, raw })
}

/// Whether a top-level key is defined in two parts other than as an array of tables the
/// schema expects (then only the whole file says what that means: a duplicate, most often).
/// A part's keys are its document's; a part that did not parse may hide one, so for it all
/// the headers the scan found count.
fn defined_in_two_parts(pieces: &[Piece], parts: &[Option<Result<Part, Problem>>]) -> bool {
    let mut seen: std::collections::HashMap<&str, (usize, bool)> = Default::default();
    for (i, (piece, part)) in pieces.iter().zip(parts).enumerate() {
        let keys: Vec<(&str, bool)> = match part {
            Some(Ok(part)) => part.keys.iter().map(|(k, a)| (k.as_str(), *a)).collect(),
            _ => piece.tables.clone(),
        };
        for (key, array) in keys {
            match seen.get(key) {
                Some(&(j, _)) if j == i => {}
                Some(&(_, earlier)) => {
                    if !(array && earlier && shape::may_span_parts(key)) {
                        return true;
                    }
                }
                None => {
                    seen.insert(key, (i, array));
                }
            }
        }
    }
    false
}

/// The parts joined into the file: the first syntax error, else every shape problem and the
/// serde model.
fn join(
    pieces: &[Piece],
    parts: Vec<Option<Result<Part, Problem>>>,
    stats: Stats,
) -> Result<Parsed, Problem> {
    let moved =
        |(span, message): Problem, offset: usize| (span.start + offset..span.end + offset, message);
    let mut shape = shape::Report::empty();
    let mut keys: Vec<String> = Vec::new();
    let mut raws = Vec::new();
    let mut unread = None;
    for (piece, part) in pieces.iter().zip(parts) {
        let offset = piece.range.start;
        // Parts after a syntax error are not parsed: the error comes first.
        let part = part.expect("every part up to the first error is parsed");
        let part = part.map_err(|problem| moved(problem, offset))?;
        shape.absorb(part.shape, offset);
        keys.extend(part.keys.into_iter().map(|(key, _)| key));
        match part.raw {
            Ok(raw) => raws.push((raw, offset)),
            Err(problem) => {
                unread.get_or_insert(moved(problem, offset));
            }
        }
    }
    shape.missing_root_keys(|key| keys.iter().any(|k| k == key));
    let raw = match unread {
        Some(problem) => Err(Some(problem)),
        None => RawFile::from_parts(raws).ok_or(None),
    };
    Ok(Parsed { shape, raw, stats })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text read in parts of every size gives what reading it whole gives.
    fn same_whole_and_in_parts(text: &str) {
        let whole = summary(text, usize::MAX);
        for part_bytes in [0, 64, 1000] {
            assert_eq!(
                summary(text, part_bytes),
                whole,
                "parts of {part_bytes} bytes, text:\n{text}"
            );
        }
    }

    /// What the loader uses of a parse: the first syntax error; else the shape problems in
    /// the order it reports them (by place), and the serde model it validates — of the text
    /// itself when its shape is right, else of the text without its unknown keys.
    fn summary(text: &str, part_bytes: usize) -> String {
        let parsed = match parse(text, part_bytes) {
            Err(problem) => return format!("syntax {problem:?}"),
            Ok(parsed) => parsed,
        };
        if parsed.shape.problems.is_empty() {
            return format!("raw {:?}", parsed.raw);
        }
        let mut problems = parsed.shape.problems.clone();
        problems.sort_by_key(|(span, _)| span.start);
        let readable = parsed
            .shape
            .without_unknown_keys(text)
            .map(|readable| parse(&readable, part_bytes).map(|p| format!("{:?}", p.raw.ok())));
        format!("shape {problems:?}\nreadable {readable:?}")
    }

    fn shipped() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge.toml")).unwrap()
    }

    #[test]
    fn the_file_is_parsed_once_a_part_at_a_time() {
        let text = shipped();
        let parsed = parse(&text, 4096).unwrap();
        assert!(parsed.raw.is_ok() && parsed.shape.problems.is_empty());
        // Every byte given to the parser once: not a second time for the serde model.
        assert_eq!(parsed.stats.bytes_parsed, text.len());
        assert!(parsed.stats.parts > 10, "{:?}", parsed.stats);
        // No part much over the target: a part ends at the first table boundary past it, and
        // the largest table of the file (the MoC's fact, all its phrasings) is about 6 KB.
        assert!(parsed.stats.largest_part < 3 * 4096, "{:?}", parsed.stats);
    }

    #[test]
    fn the_shipped_file_reads_the_same_whole_and_in_parts() {
        same_whole_and_in_parts(&shipped());
    }

    #[test]
    fn problems_read_the_same_whole_and_in_parts() {
        let text = shipped();
        let facts = text.find("[[facts]]").unwrap();
        for edited in [
            // Syntax errors, early and late.
            text.replacen("title = ", "title == ", 1),
            text.replacen("quote = \"", "quote = \"\n", 5),
            format!("{text}\n[[facts]\n"),
            // Shape: unknown keys, wrong types, a missing required key.
            text.replacen("kind = \"fact\"", "kind = 3\ncolour = \"red\"", 3),
            text.replace("[meta]", "[meta]\nextra = 1"),
            text.replacen("[[facts.citations]]", "[facts.citations]", 2),
            text.replace("[meta]", "[other]"),
            // A top-level table in two parts: a duplicate in the whole file.
            format!("{text}\n[meta]\ntitle = \"again\"\n"),
            format!("{}[meta]\nx = 1\n{}", &text[..facts], &text[facts..]),
            // An array of tables written both ways.
            format!("{text}\nsources = []\n"),
            format!("facts = []\n{text}"),
            // Keys before any header; a dotted header into an earlier part's table.
            format!("x = 1\n{text}"),
            format!("{text}\n[meta.more]\nx = 1\n"),
            // Unknown arrays of tables in several parts.
            format!("{text}\n[[extra]]\nx = 1\n[[facts]]\n[[extra]]\ny = 2\n"),
        ] {
            same_whole_and_in_parts(&edited);
        }
    }

    #[test]
    fn cut_anywhere_the_file_reads_the_same_whole_and_in_parts() {
        let text = shipped();
        let mut rng = crate::synthetic::Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..40 {
            let mut end = rng.below(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            same_whole_and_in_parts(&text[..end]);
        }
    }
}
