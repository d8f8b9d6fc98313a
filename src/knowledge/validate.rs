//! Meaning checks: everything the shape pass cannot see. All problems are collected, not just
//! the first, and each points at the value that is wrong.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use toml::Spanned;

use super::MONTHS;
use crate::search::intent::{Vocabulary, DETECT_RULES};

use super::diagnostic::Locator;
use super::quote_text::PassageIndex;
use super::raw::{RawFile, RawSource, Text};
use super::{
    normalize_for_quote, Citation, Diagnostic, Event, Fact, FactKind, KnowledgeBase, LoadOptions,
    Meta, PartialDate, Source, SynonymGroup, Topic, MAX_QUOTE_CHARS,
};
use crate::files::{read_text, FileKind, ReadLimits};

struct Checker<'a> {
    path: &'a Path,
    locator: Locator<'a>,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(self.locator.at(span, message));
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        self.locator.line(span.start)
    }

    /// The trimmed value, reporting it if blank.
    fn non_empty(&mut self, value: &Text, what: &str) -> String {
        let trimmed = value.get_ref().trim();
        if trimmed.is_empty() {
            self.report(value.span(), format!("{what} must not be empty"));
        }
        trimmed.to_string()
    }

    /// [`Checker::non_empty`], keeping the value's own string when it has nothing to trim:
    /// the facts' strings are most of a large file, moved into the knowledge base rather than
    /// copied while the raw model still holds them.
    fn non_empty_owned(&mut self, value: Text, what: &str) -> String {
        let span = value.span();
        let value = value.into_inner();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.report(span, format!("{what} must not be empty"));
        }
        if trimmed.len() == value.len() {
            value
        } else {
            trimmed.to_string()
        }
    }

    fn optional(&mut self, value: &Option<Text>, what: &str) -> Option<String> {
        value.as_ref().map(|v| self.non_empty(v, what))
    }

    fn date(&mut self, value: &Text) -> Option<PartialDate> {
        PartialDate::parse(value.get_ref().trim())
            .map_err(|message| self.report(value.span(), message))
            .ok()
    }

    /// Ids are kebab-case ([`is_kebab_case`]) so they read well in `/fact id:` and URLs, and never collide by case.
    fn id(&mut self, value: &Text, what: &str, seen: &mut HashMap<String, Range<usize>>) -> String {
        let id = value.get_ref().clone();
        if !is_kebab_case(&id) {
            self.report(
                value.span(),
                format!("{what} id \"{id}\" must be kebab-case (lowercase letters, digits and single hyphens)"),
            );
        }
        if let Some(first) = seen.get(&id) {
            let line = self.line_of(first);
            self.report(
                value.span(),
                format!("duplicate {what} id \"{id}\" (first defined on line {line})"),
            );
        } else {
            seen.insert(id.clone(), value.span());
        }
        id
    }
}

/// Article texts that quotes must appear in, each with the name it is reported under.
struct ArticleTexts {
    /// A source's `text_file`.
    by_source: HashMap<String, Article>,
    /// The texts of the sources folder.
    corpus: Vec<Article>,
    /// A source's article in `corpus` (by index), when the folder is given and the source
    /// has no `text_file`: the file its `article` key names, else `<id>.txt`.
    in_folder: HashMap<String, usize>,
}

/// An article's text, and its normalised form (computed once, compared with every quote).
struct Article {
    file: PathBuf,
    text: String,
    normalized: String,
    /// Its words indexed for the closest-passage hint: built the first time a quote is not
    /// found, then shared by every other quote that is not (most loads need none).
    passages: OnceLock<PassageIndex>,
}

impl Article {
    fn new(file: PathBuf, text: String) -> Self {
        Article {
            normalized: normalize_for_quote(&text),
            file,
            text,
            passages: OnceLock::new(),
        }
    }

    fn closest_passage(&self, quote: &str) -> Option<(String, usize)> {
        self.passages
            .get_or_init(|| PassageIndex::new(&self.text))
            .closest(&self.text, quote)
    }
}

pub(crate) fn validate(
    mut raw: RawFile,
    path: &Path,
    text: &str,
    options: &LoadOptions,
    fingerprint: String,
) -> Result<KnowledgeBase, Vec<Diagnostic>> {
    let mut c = Checker {
        path,
        locator: Locator::new(path, text),
        problems: Vec::new(),
    };

    let meta = Meta {
        title: c.non_empty(&raw.meta.title, "meta.title"),
        description: c.non_empty(&raw.meta.description, "meta.description"),
        updated: c.date(&raw.meta.updated).unwrap_or(PartialDate {
            year: 0,
            month: None,
            day: None,
        }),
    };

    let mut articles = ArticleTexts {
        by_source: HashMap::new(),
        corpus: Vec::new(),
        in_folder: HashMap::new(),
    };
    let mut source_ids = HashMap::new();
    let sources: Vec<Source> = raw
        .sources
        .iter()
        .map(|s| source(&mut c, s, &mut source_ids, &mut articles, options))
        .collect();
    if let Some(dir) = &options.sources_dir {
        match read_corpus(dir, &options.read.for_kind(FileKind::Article)) {
            Ok(corpus) => {
                // A source no quote cites has nothing to check, so needs no article.
                let cited: std::collections::HashSet<&str> = raw
                    .facts
                    .iter()
                    .flat_map(|f| &f.get_ref().citations)
                    .map(|c| c.source.get_ref().as_str())
                    .collect();
                for s in raw
                    .sources
                    .iter()
                    .filter(|s| cited.contains(s.id.get_ref().as_str()))
                {
                    if let Some(index) = folder_article(&mut c, s, dir, &corpus) {
                        articles.in_folder.insert(s.id.get_ref().clone(), index);
                    }
                }
                articles.corpus = corpus;
            }
            Err(message) => c.report(0..0, message),
        }
    }

    let mut topic_ids = HashMap::new();
    let topics: Vec<Topic> = raw
        .topics
        .iter()
        .map(|t| Topic {
            id: c.id(&t.id, "topic", &mut topic_ids),
            name: c.non_empty(&t.name, "topic name"),
            description: c.non_empty(&t.description, "topic description"),
        })
        .collect();

    let mut term_groups: HashMap<String, Range<usize>> = HashMap::new();
    let synonyms: Vec<SynonymGroup> = raw
        .synonyms
        .iter()
        .map(|group| synonym_group(&mut c, &group.terms, &mut term_groups))
        .collect();

    let mut event_ids = HashMap::new();
    let events: Vec<Event> = raw
        .events
        .iter()
        .map(|e| event(&mut c, e, &mut event_ids))
        .collect();

    let vocabulary = vocabulary(&mut c, &raw);
    let lowered_synonyms: Vec<Vec<String>> = synonyms
        .iter()
        .map(|g| g.terms.iter().map(|t| t.to_lowercase()).collect())
        .collect();
    let mut fact_ids = HashMap::new();
    let mut facts: Vec<Fact> = Vec::with_capacity(raw.facts.len());
    // Each raw fact is taken apart into its fact, its strings moved rather than copied, and
    // checked on the way.
    for f in std::mem::take(&mut raw.facts) {
        if let Some(event) = &f.get_ref().event {
            if !event_ids.contains_key(event.get_ref()) {
                c.report(
                    event.span(),
                    format!("unknown event \"{}\"", event.get_ref()),
                );
            }
        }
        let (fact, answer) = fact(
            &mut c,
            f.into_inner(),
            &mut fact_ids,
            &source_ids,
            &topic_ids,
            &articles,
            &vocabulary,
        );
        check_grounded(&mut c, &answer, &fact, &sources, &lowered_synonyms, text);
        facts.push(fact);
    }

    if c.problems.is_empty() {
        Ok(KnowledgeBase {
            meta,
            sources,
            topics,
            synonyms,
            events,
            facts,
            vocabulary,
            fingerprint,
            path: path.to_path_buf(),
        })
    } else {
        c.problems.sort_by_key(|d| (d.line, d.column));
        Err(c.problems)
    }
}

/// Where a `text_file` may be: a `*.txt` file inside the knowledge file's folder or the
/// sources folder, after following every symlink. Anything else (`config.toml`, `../x.txt`, a
/// link to `/etc`) is refused before it is opened, so its content can never reach a message.
fn article_file(knowledge: &Path, name: &str, options: &LoadOptions) -> Result<PathBuf, String> {
    let folder = knowledge.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let full = folder.join(name);
    let refused = |why: &str| format!("text_file \"{name}\" refused: {why}");
    let real = full
        .canonicalize()
        .map_err(|err| format!("cannot read text_file {}: {err}", full.display()))?;
    let inside = std::iter::once(folder)
        .chain(options.sources_dir.as_deref())
        .filter_map(|root| root.canonicalize().ok())
        .any(|root| real.starts_with(root));
    if !inside {
        return Err(refused(
            "it must be inside the knowledge file's folder or the sources folder",
        ));
    }
    if real.extension().is_none_or(|e| e != "txt") {
        return Err(refused("an article text must be a *.txt file"));
    }
    Ok(full)
}

/// Most file names a diagnostic lists from the sources folder.
const MAX_LISTED_FILES: usize = 10;

/// The article of the sources folder that source `s`'s quotes must be in: the file its
/// `article` key names, else the one named after its id (`<id>.txt`). A quote is checked
/// against its own source's article only — found in some other article, it still misquotes
/// its source — so a source whose article cannot be told is a problem, never "any file". A
/// source with a `text_file` is checked against that, and needs no article here.
fn folder_article(c: &mut Checker, s: &RawSource, dir: &Path, corpus: &[Article]) -> Option<usize> {
    let name_of = |article: &Article| {
        article
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let listed = || {
        let mut names: Vec<String> = corpus.iter().take(MAX_LISTED_FILES).map(name_of).collect();
        if corpus.len() > MAX_LISTED_FILES {
            names.push(format!("… {} more", corpus.len() - MAX_LISTED_FILES));
        }
        names.join(", ")
    };
    let id = s.id.get_ref();
    match (&s.text_file, &s.article) {
        // Both keys: reported by `source`, whatever the folder.
        (Some(_), _) => None,
        (None, Some(article)) => {
            let wanted = article.get_ref().trim();
            let found = corpus.iter().position(|a| name_of(a) == wanted);
            if found.is_none() {
                c.report(
                    article.span(),
                    format!(
                        "article \"{wanted}\" of source \"{id}\" is not a *.txt file of the sources \
                         folder {} (it has: {})",
                        dir.display(),
                        listed()
                    ),
                );
            }
            found
        }
        (None, None) => {
            let named = format!("{id}.txt");
            let found = corpus.iter().position(|a| name_of(a) == named);
            if found.is_none() {
                c.report(
                    s.id.span(),
                    format!(
                        "source \"{id}\": which article of {} its quotes come from is not known \
                         (no file is named {named}); add `article = \"FILE.txt\"` naming one of: {}",
                        dir.display(),
                        listed()
                    ),
                );
            }
            found
        }
    }
}

fn source(
    c: &mut Checker,
    s: &RawSource,
    ids: &mut HashMap<String, Range<usize>>,
    articles: &mut ArticleTexts,
    options: &LoadOptions,
) -> Source {
    let id = c.id(&s.id, "source", ids);
    if let (Some(_), Some(article)) = (&s.text_file, &s.article) {
        c.report(
            article.span(),
            format!(
                "source \"{id}\" names two article texts, `text_file` and `article`: which one \
                 its quotes must be in is ambiguous; keep one"
            ),
        );
    }
    let url = c.optional(&s.url, "source url");
    if let (Some(url), Some(raw)) = (&url, &s.url) {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            c.report(
                raw.span(),
                format!("source url \"{url}\" must start with http:// or https://"),
            );
        }
    }
    if let Some(file) = &s.text_file {
        match article_file(c.path, file.get_ref(), options) {
            Ok(full) => match read_text(&full, &options.read.for_kind(FileKind::Article)) {
                Ok(article) => {
                    articles
                        .by_source
                        .insert(id.clone(), Article::new(full, article));
                }
                Err(err) => c.report(
                    file.span(),
                    format!("cannot read text_file {}: {err}", full.display()),
                ),
            },
            Err(problem) => c.report(file.span(), problem),
        }
    }
    Source {
        title: c.non_empty(&s.title, "source title"),
        author: c.optional(&s.author, "source author"),
        publisher: c.optional(&s.publisher, "source publisher"),
        url,
        published: s.published.as_ref().and_then(|d| c.date(d)),
        note: c.optional(&s.note, "source note"),
        id,
    }
}

fn event(
    c: &mut Checker,
    e: &super::raw::RawEvent,
    ids: &mut HashMap<String, Range<usize>>,
) -> Event {
    let aliases: Vec<String> = e
        .aliases
        .get_ref()
        .iter()
        .map(|a| c.non_empty(a, "event alias").to_lowercase())
        .collect();
    if aliases.is_empty() {
        c.report(e.aliases.span(), "an event needs at least one alias");
    }
    Event {
        id: c.id(&e.id, "event", ids),
        name: c.non_empty(&e.name, "event name"),
        date: e.date.as_ref().and_then(|d| c.date(d)),
        place: c.optional(&e.place, "event place"),
        aliases,
    }
}

fn synonym_group(
    c: &mut Checker,
    terms: &Spanned<Vec<Text>>,
    seen: &mut HashMap<String, Range<usize>>,
) -> SynonymGroup {
    let mut kept = Vec::new();
    for term in terms.get_ref() {
        let folded = term.get_ref().trim().to_lowercase();
        if folded.is_empty() {
            c.report(term.span(), "synonym terms must not be empty");
            continue;
        }
        if let Some(first) = seen.get(&folded) {
            let line = c.line_of(first);
            c.report(
                term.span(),
                format!("synonym \"{folded}\" is already in a group on line {line}; merge the two groups"),
            );
            continue;
        }
        seen.insert(folded.clone(), term.span());
        kept.push(folded);
    }
    if terms.get_ref().len() < 2 {
        c.report(terms.span(), "a synonym group needs at least two terms");
    }
    SynonymGroup { terms: kept }
}

/// The fact `raw` describes, its strings moved out of it; and its answer as written, for
/// [`check_grounded`], which locates the answer's words in the file.
fn fact(
    c: &mut Checker,
    raw: super::raw::RawFact,
    ids: &mut HashMap<String, Range<usize>>,
    source_ids: &HashMap<String, Range<usize>>,
    topic_ids: &HashMap<String, Range<usize>>,
    articles: &ArticleTexts,
    vocabulary: &Vocabulary,
) -> (Fact, Text) {
    let id = c.id(&raw.id, "fact", ids);
    let kind = FactKind::parse(raw.kind.get_ref()).unwrap_or_else(|| {
        c.report(
            raw.kind.span(),
            format!(
                "kind \"{}\" must be \"fact\" or \"commitment\"",
                raw.kind.get_ref()
            ),
        );
        FactKind::Fact
    });
    for topic in &raw.topics {
        if !topic_ids.contains_key(topic.get_ref()) {
            c.report(
                topic.span(),
                format!("unknown topic \"{}\"", topic.get_ref()),
            );
        }
    }
    if raw.topics.is_empty() {
        c.report(
            raw.id.span(),
            format!("fact \"{id}\" must list at least one topic"),
        );
    }
    if raw.citations.is_empty() {
        c.report(
            raw.id.span(),
            format!("fact \"{id}\" must cite at least one source"),
        );
    }
    let citations = raw
        .citations
        .into_iter()
        .map(|citation| {
            let source_span = citation.source.span();
            let source = citation.source.into_inner();
            if !source_ids.contains_key(&source) {
                c.report(source_span, format!("unknown source \"{source}\""));
            }
            let length = citation.quote.get_ref().trim().chars().count();
            if length > MAX_QUOTE_CHARS {
                c.report(
                    citation.quote.span(),
                    format!("quote is {length} characters; the limit is {MAX_QUOTE_CHARS}"),
                );
            }
            if length > 0 {
                check_quote_in_articles(c, &citation.quote, &source, articles);
            }
            let quote = c.non_empty_owned(citation.quote, "quote");
            Citation { source, quote }
        })
        .collect();
    let owned = |c: &mut Checker, list: Vec<Text>, what: &str| -> Vec<String> {
        list.into_iter()
            .map(|item| c.non_empty_owned(item, what))
            .collect()
    };
    let fact = Fact {
        kind,
        title: c.non_empty_owned(raw.title, "title"),
        answer: c.non_empty(&raw.answer, "answer"),
        topics: raw.topics.into_iter().map(Spanned::into_inner).collect(),
        parties: owned(c, raw.parties, "party"),
        date: raw.date.as_ref().and_then(|d| c.date(d)),
        event: raw.event.map(Spanned::into_inner),
        questions: owned(c, raw.questions, "question"),
        keywords: owned(c, raw.keywords, "keyword"),
        answers: raw.answers.map(|list| {
            list.into_inner()
                .into_iter()
                .filter_map(|name| {
                    if vocabulary.intent_named(name.get_ref()).is_none() {
                        let known: Vec<&str> = vocabulary
                            .answer_types
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect();
                        c.report(
                            name.span(),
                            format!(
                                "unknown answer type {:?}; expected one of: {}",
                                name.get_ref(),
                                known.join(", ")
                            ),
                        );
                        return None;
                    }
                    Some(name.into_inner())
                })
                .collect()
        }),
        citations,
        id,
    };
    (fact, raw.answer)
}

fn check_quote_in_articles(c: &mut Checker, quote: &Text, source: &str, articles: &ArticleTexts) {
    let wanted = normalize_for_quote(quote.get_ref());
    let closest = |article: &Article| {
        article
            .closest_passage(quote.get_ref())
            .map(|(passage, shared)| (excerpt(&passage), shared))
    };
    // Its own source's article: the `text_file`, else its article in the sources folder (a
    // source with neither, when a folder is given, is reported once at the source).
    let own = articles.by_source.get(source).or_else(|| {
        articles
            .in_folder
            .get(source)
            .and_then(|&i| articles.corpus.get(i))
    });
    let Some(article) = own else {
        return;
    };
    if article.normalized.contains(&wanted) {
        return;
    }
    let hint = match closest(article) {
        Some((passage, _)) => format!("; closest passage: \"{passage}\""),
        None => String::new(),
    };
    // Found in another article: the citation names the wrong source.
    let elsewhere = articles
        .corpus
        .iter()
        .find(|other| other.file != article.file && other.normalized.contains(&wanted))
        .map(|other| {
            format!(
                "; it is in {}: cite that article's source",
                other.file.display()
            )
        })
        .unwrap_or_default();
    c.report(
        quote.span(),
        format!(
            "quote not found verbatim in {}, the article of source \"{source}\"{elsewhere}{hint}",
            article.file.display()
        ),
    );
}

/// Longest part of an article a diagnostic shows (characters): enough to recognise the
/// sentence, never a page of the article.
/// Lowercase letters and digits in parts joined by single hyphens: the form of every id.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

pub(crate) const MAX_EXCERPT_CHARS: usize = 160;

fn excerpt(passage: &str) -> String {
    if passage.chars().nth(MAX_EXCERPT_CHARS).is_none() {
        return passage.to_string();
    }
    let mut cut: String = passage.chars().take(MAX_EXCERPT_CHARS - 1).collect();
    cut.push('…');
    cut
}

fn read_corpus(dir: &Path, limits: &ReadLimits) -> Result<Vec<Article>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|err| format!("cannot read sources folder {}: {err}", dir.display()))?;
    let root = dir
        .canonicalize()
        .map_err(|err| format!("cannot read sources folder {}: {err}", dir.display()))?;
    let mut corpus = Vec::new();
    for entry in entries.flatten() {
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "txt") {
            // Like a text_file: a link out of the folder is not an article.
            let real = file
                .canonicalize()
                .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
            if !real.starts_with(&root) || real.extension().is_none_or(|e| e != "txt") {
                return Err(format!(
                    "{} refused: it links to a file outside the sources folder",
                    file.display()
                ));
            }
            let text = read_text(&file, limits)
                .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
            corpus.push(Article::new(file, text));
        }
    }
    corpus.sort_by(|a, b| a.file.cmp(&b.file));
    if corpus.is_empty() {
        return Err(format!(
            "no *.txt files in sources folder {}",
            dir.display()
        ));
    }
    Ok(corpus)
}

/// Reports each number, month and proper name of `fact`'s answer that neither its quotes nor
/// its sources' metadata (title, author, publisher, published, note) say, nor a synonym of a
/// term they say: an answer may rephrase its sources, never add to them. A proper name is a
/// capitalised word that does not start a sentence. `synonyms`: the groups' terms, lowercase.
fn check_grounded(
    c: &mut Checker,
    answer: &Text,
    fact: &Fact,
    sources: &[Source],
    synonyms: &[Vec<String>],
    file_text: &str,
) {
    let mut grounds = String::new();
    for citation in &fact.citations {
        grounds.push_str(&citation.quote);
        grounds.push(' ');
        if let Some(source) = sources.iter().find(|s| s.id == citation.source) {
            for part in [
                Some(&source.title),
                source.author.as_ref(),
                source.publisher.as_ref(),
                source.note.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                grounds.push_str(part);
                grounds.push(' ');
            }
            if let Some(published) = &source.published {
                grounds.push_str(&published.to_string());
                grounds.push(' ');
            }
        }
    }
    let lower = grounds.to_lowercase();
    let ground: Vec<&str> = words_of(&lower).collect();
    let mut known: std::collections::HashSet<&str> = ground.iter().copied().collect();
    let grounded = |known: &std::collections::HashSet<&str>, folded: &str| {
        known.contains(folded)
            || folded
                .strip_suffix('s')
                .is_some_and(|singular| known.contains(singular))
    };
    // The numbers, months and names of the answer ("India's" is "India"), with where each is.
    let text = answer.get_ref();
    let mut claims: Vec<(usize, &str, String)> = Vec::new();
    let mut sentence_start = true;
    let mut at = 0;
    for token in text.split_inclusive(|c: char| c.is_whitespace()) {
        let start = at;
        at += token.len();
        let word = token.trim();
        let starts_sentence = sentence_start;
        sentence_start = word.ends_with(['.', '!', '?', ':']);
        for part in word.split(|c: char| !(c.is_alphanumeric() || c == '$' || c == '&')) {
            let part = part.trim_start_matches('$');
            let name = part.chars().next().is_some_and(char::is_uppercase) && !starts_sentence;
            let number = part.chars().any(|c| c.is_ascii_digit());
            let folded = part.to_lowercase();
            let month = MONTHS.contains(&folded.as_str());
            if !part.is_empty() && (name || number || month) && !grounded(&known, &folded) {
                claims.push((start, part, folded));
            }
        }
    }
    if claims.is_empty() {
        return;
    }
    // A synonym of a term the sources say grounds its group's words ("MEA" where the quote
    // says "External Affairs Ministry"): looked up only for what is not grounded already.
    for terms in synonyms {
        let said = terms.iter().any(|t| {
            let words: Vec<&str> = words_of(t).collect();
            !words.is_empty() && ground.windows(words.len()).any(|w| w == words.as_slice())
        });
        if said {
            known.extend(terms.iter().flat_map(|t| words_of(t)));
        }
    }
    let mut reported = std::collections::HashSet::new();
    for (start, part, folded) in claims {
        if grounded(&known, &folded) || !reported.insert(folded) {
            continue;
        }
        let offset = locate_in_file(file_text, answer.span(), text, start, part);
        c.report(
            offset,
            format!(
                "the answer says \"{part}\", which none of its quotes nor its source's title, \
                 author, date or note says: an answer may only say what its sources say"
            ),
        );
    }
}

/// Lowercase words of `text` (letters, digits, `$` and `&` kept together).
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '&'))
        .filter(|w| !w.is_empty())
}

/// Where `part`, found at or after byte `from` of the answer's value, is in the file: the
/// value's own span in the file when the string has no escapes before it, else its start.
fn locate_in_file(
    file_text: &str,
    span: Range<usize>,
    value: &str,
    from: usize,
    part: &str,
) -> Range<usize> {
    let Some(in_value) = value[from..].find(part).map(|i| from + i) else {
        return span;
    };
    let raw = file_text.get(span.clone()).unwrap_or_default();
    // The span covers the quotes; the text between them is the value when nothing is escaped.
    match raw.find(&value[..in_value + part.len()]) {
        Some(i) => span.start + i + in_value..span.start + i + in_value + part.len(),
        None => match raw.find(part) {
            Some(i) => span.start + i..span.start + i + part.len(),
            None => span,
        },
    }
}

/// The built-in vocabulary extended by the file's `[[answer_types]]` and `[[details]]`, with
/// a problem for each `detect` rule the code does not know and each new answer type nothing
/// asks for.
fn vocabulary(c: &mut Checker, raw: &RawFile) -> Vocabulary {
    let builtin = Vocabulary::builtin();
    for t in &raw.answer_types {
        let span = t.span();
        let t = t.get_ref();
        if let Some(rule) = &t.detect {
            if !DETECT_RULES.contains(&rule.as_str()) {
                c.report(
                    span.clone(),
                    format!(
                        "answer type {:?}: unknown detect rule {rule:?}; expected one of: {}",
                        t.name,
                        DETECT_RULES.join(", ")
                    ),
                );
            }
        }
        let known = builtin.answer_types.iter().any(|b| b.name == t.name);
        if !known && t.asks.is_empty() && t.asks_which.is_empty() {
            c.report(
                span,
                format!(
                    "answer type {:?} is new but no question asks for it: give it `asks` or `asks_which`",
                    t.name
                ),
            );
        }
    }
    let extra = Vocabulary {
        answer_types: raw
            .answer_types
            .iter()
            .map(|t| t.get_ref().clone())
            .collect(),
        details: raw.details.clone(),
    };
    builtin.extended(&extra)
}
