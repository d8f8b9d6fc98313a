//! Where `knowledge.toml` can be cut into parts that parse on their own, so that no syntax
//! tree of the whole file is ever built.
//!
//! `toml_edit`'s tree of a file is about twelve times the file (an 89 MB file of 100k facts
//! made a 1.2 GB tree). Cut before each top-level table — `[meta]`, `[[sources]]`,
//! `[[facts]]` — the file is a sequence of parts that each parse to what the whole file would:
//! a part starts where the parser stands at the start of a line, outside any value, and a
//! `[[facts.citations]]` belongs to the `[[facts]]` before it, in its own part. Parts are then
//! grouped to about a target size and parsed one group at a time (see `syntax.rs`).
//!
//! Finding the cuts needs only the lexical structure: strings (whose content may look like
//! a header), comments, and brackets (a multi-line array may hold a line starting with `[`).
//! The scan does not validate anything; the parser does, part by part.
//!
//! A file the cut would change the meaning of is not cut: a header with a quoted key, or a
//! dotted header reaching into a table other than the part's own (`[[facts]]` …
//! `[sources.extra]`), which in the whole file extends an earlier part. Such a file is parsed
//! whole, as before: correct, at the whole tree's cost.

use std::ops::Range;

/// A range of the file that parses on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    pub range: Range<usize>,
    /// The top-level tables whose headers are in it, in order: the key, and whether it is an
    /// array of tables (`[[key]]`). Keys defined before the first header are not listed.
    pub tables: Vec<(&'a str, bool)>,
}

/// Where to cut `text`: consecutive pieces covering it, each but the first starting at a
/// top-level table header, each at least `target` bytes but the last (a table longer than
/// `target` is a piece of its own). `None` when cutting could change what the file means (see
/// the module docs); the caller then parses the whole text.
pub(crate) fn split(text: &str, target: usize) -> Option<Vec<Piece<'_>>> {
    let mut pieces = vec![Piece {
        range: 0..text.len(),
        tables: Vec::new(),
    }];
    for (at, key, array) in tables(text)? {
        let last = pieces.last_mut().expect("never empty");
        if at > last.range.start && at - last.range.start >= target {
            last.range.end = at;
            pieces.push(Piece {
                range: at..text.len(),
                tables: Vec::new(),
            });
        }
        pieces
            .last_mut()
            .expect("never empty")
            .tables
            .push((key, array));
    }
    Some(pieces)
}

/// Every top-level table (a header of one bare key at the start of a line, outside any
/// value): where it starts, its key, whether it is `[[key]]`. `None` if the file has a header
/// that makes cutting unsafe.
fn tables(text: &str) -> Option<Vec<(usize, &str, bool)>> {
    let bytes = text.as_bytes();
    let mut tables = Vec::new();
    // The bare key of the top-level table the current part belongs to (`None` before the
    // first header).
    let mut current: Option<&str> = None;
    // Open `[` and `{` of the value being read: a line inside a multi-line array is not a
    // line of its own.
    let mut depth = 0usize;
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        if line_start && depth == 0 {
            line_start = false;
            i = skip_blank(bytes, i);
            if bytes.get(i) == Some(&b'[') {
                match header(text, i) {
                    Header::Top { key, array, end } => {
                        tables.push((i, key, array));
                        current = Some(key);
                        i = end;
                    }
                    Header::Dotted { first, end } => {
                        if current != Some(first) {
                            return None;
                        }
                        i = end;
                    }
                    Header::Quoted => return None,
                    // Not a header the parser will accept: it reports it, in whichever part
                    // holds it. Read on as if it were a value.
                    Header::Malformed => {}
                }
            }
            continue;
        }
        match bytes[i] {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b'#' => i = end_of_line(bytes, i),
            b'"' | b'\'' => i = end_of_string(bytes, i),
            b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Some(tables)
}

enum Header<'a> {
    /// `[key]` or `[[key]]`, one bare key: a part starts here.
    Top {
        key: &'a str,
        array: bool,
        end: usize,
    },
    /// `[key.more]` or `[[key.more]]`: belongs to the table `key`.
    Dotted {
        first: &'a str,
        end: usize,
    },
    /// A quoted key anywhere in the header.
    Quoted,
    Malformed,
}

/// Reads the header starting at `at` (a `[` at the start of a line) up to its closing
/// bracket(s).
fn header(text: &str, at: usize) -> Header<'_> {
    let bytes = text.as_bytes();
    let double = bytes.get(at + 1) == Some(&b'[');
    let mut i = at + if double { 2 } else { 1 };
    let mut keys: Vec<&str> = Vec::new();
    loop {
        i = skip_blank(bytes, i);
        match bytes.get(i) {
            Some(b'"' | b'\'') => return Header::Quoted,
            Some(b) if is_bare(*b) => {
                let start = i;
                while bytes.get(i).is_some_and(|b| is_bare(*b)) {
                    i += 1;
                }
                keys.push(&text[start..i]);
            }
            _ => return Header::Malformed,
        }
        i = skip_blank(bytes, i);
        match bytes.get(i) {
            Some(b'.') => i += 1,
            Some(b']') => break,
            _ => return Header::Malformed,
        }
    }
    i += 1;
    if double {
        if bytes.get(i) != Some(&b']') {
            return Header::Malformed;
        }
        i += 1;
    }
    match keys.as_slice() {
        [key] => Header::Top {
            key,
            array: double,
            end: i,
        },
        [first, ..] => Header::Dotted { first, end: i },
        [] => Header::Malformed,
    }
}

/// A character of a bare key (TOML: ASCII letters, digits, `_` and `-`).
fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The offset of the line break ending the line of `i` (or the end).
fn end_of_line(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n)
}

/// The offset just past the string starting at `at` (a quote). A one-line string left open
/// ends at its line break, which is where the parser reports it.
fn end_of_string(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let basic = quote == b'"';
    if bytes[at..].starts_with(&[quote; 3]) {
        let mut i = at + 3;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if basic => i += 2,
                b if b == quote && bytes[i..].starts_with(&[quote; 3]) => {
                    // Up to two quotes just before the closing three belong to the content.
                    let mut run = 3;
                    while run < 5 && bytes.get(i + run) == Some(&quote) {
                        run += 1;
                    }
                    return i + run;
                }
                _ => i += 1,
            }
        }
        return bytes.len();
    }
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if basic => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the parts, cut at every top-level table.
    fn parts(text: &str) -> Option<Vec<&str>> {
        split(text, 0).map(|pieces| pieces.into_iter().map(|p| &text[p.range]).collect())
    }

    #[test]
    fn cuts_before_each_top_level_table_and_keeps_sub_tables_with_theirs() {
        let text = "# head\n[meta]\na = 1\n[[facts]]\nid = \"x\"\n[[facts.citations]]\n\
                    q = 1\n  [[facts]]\nid = \"y\"\n";
        assert_eq!(
            parts(text).unwrap(),
            [
                "# head\n",
                "[meta]\na = 1\n",
                "[[facts]]\nid = \"x\"\n[[facts.citations]]\nq = 1\n  ",
                "[[facts]]\nid = \"y\"\n",
            ]
        );
    }

    #[test]
    fn a_header_inside_a_string_or_a_multi_line_array_is_not_a_cut() {
        for text in [
            "[[facts]]\na = \"\"\"\n[[facts]]\n\"\"\"\n",
            "[[facts]]\na = '''\n[[facts]]\n'''\n",
            "[[facts]]\na = \"\"\"x\\\"\"\"\n[[facts]]\n\"\"\"\n",
            "[[facts]]\na = \"\"\"x\"\"\"\"\"\n[[facts]]\n",
            "[[facts]]\na = [\n[[facts]]\n]\n",
            "[[facts]]\na = [ # ]\n[[facts]]\n]\n",
            "[[facts]]\na = \"]\" \nb = [\"[\",\n[[facts]]\n]\n",
        ] {
            let found = parts(text).unwrap();
            let expected = usize::from(text.ends_with("[[facts]]\n")) + 1;
            assert_eq!(found.len(), expected, "{text:?}: {found:?}");
        }
    }

    #[test]
    fn headers_whose_meaning_a_cut_would_change_are_not_cut() {
        // A dotted header into another part's table, and quoted keys: parsed whole.
        assert_eq!(parts("[meta]\n[[facts]]\n[meta.x]\n"), None);
        assert_eq!(parts("[[facts.citations]]\n[[facts]]\n"), None);
        assert_eq!(parts("[meta]\n[\"facts\"]\n"), None);
        assert_eq!(parts("[meta]\n[[facts.'c']]\n"), None);
        // Malformed headers are the parser's to report; the scan reads on.
        assert!(parts("[meta]\n[facts\n[[x]]\n").is_some());
    }

    #[test]
    fn parts_are_grouped_to_the_target_size_and_list_their_tables() {
        let text = "[[a]]\nx = 1\n".repeat(10);
        let pieces = split(&text, 30).unwrap();
        assert_eq!(pieces[0].tables, [("a", true); 3]);
        assert_eq!(pieces.iter().map(|p| p.tables.len()).sum::<usize>(), 10);
        let ranges: Vec<Range<usize>> = pieces.into_iter().map(|p| p.range).collect();
        assert!(ranges.iter().all(|r| r.len() >= 30 || r.end == text.len()));
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        let whole = split(&text, usize::MAX).unwrap();
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].range, 0..text.len());
        let table = split("x = 1\n[meta]\n", 0).unwrap();
        assert_eq!(table[0].tables, []);
        assert_eq!(table[1].tables, [("meta", false)]);
    }
}
