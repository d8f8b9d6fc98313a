//! `[knowledge] watch = true`: reload the knowledge file when it changes, so that every
//! process serving it — several shard ranges, several hosts on one shared volume — follows a
//! single `mv new.toml knowledge.toml` within seconds, without anyone sending `/reload` or
//! SIGHUP to each of them.
//!
//! The folder is watched, not the file: `mv` replaces the file's inode, and a watch on the old
//! inode would see nothing after the first swap. Events are filtered to the file's own name
//! (an editor's temporary files beside it are ignored), then debounced ([`DEBOUNCE`]: an
//! editor's save is several events), then handed to the [`Target`]'s reload — in `serve`, the
//! same `Bot::reload_now` as `/reload`
//! and SIGHUP — parse, validate, `max_removed_share`, the eval gate, swap — so a broken file is
//! refused here exactly as there, and the last good one keeps serving. Every process applies
//! the same rules to the same bytes, so they all serve the same fingerprint, or all refuse.
//!
//! Reading the file itself raises events (inotify reports opens), so only creation, content and
//! name changes and the end of a write count.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;

/// Quiet time after the last event before reloading: an editor's save, or a `cp` followed by
/// a `mv`, is a burst of events; one reload should follow it, not five.
pub const DEBOUNCE: Duration = Duration::from_millis(300);
/// Longest wait from a change to its reload, however the events go on: a file rewritten every
/// 200 ms used to postpone every reload while the rewrites lasted. The reload's own settle
/// rule then decides whether the file is still enough to read.
pub const MAX_DEBOUNCE: Duration = Duration::from_secs(5);

/// Whether `kind` can mean the file's content changed (not an open, a read or a `chmod`).
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Remove(_) | EventKind::Other => false,
    }
}

/// Whether an event on `paths` concerns the file called `name`.
pub fn concerns(paths: &[PathBuf], name: &std::ffi::OsStr) -> bool {
    paths.iter().any(|p| p.file_name() == Some(name))
}

/// Every (folder, name) whose change can change what `file` reads: the file itself, each
/// symlink met on the way to its content (a link retargeted, or a `..data` link swapped as a
/// Kubernetes ConfigMap update does), and the final target. A watch on the file's folder
/// alone missed a symlinked file whose target was replaced.
pub fn watched_entries(file: &Path) -> Vec<(PathBuf, std::ffi::OsString)> {
    /// Links followed at most (a loop ends here).
    const MAX_LINKS: usize = 16;
    let mut entries = Vec::new();
    let mut push = |path: &Path| {
        if let Some(name) = path.file_name() {
            let entry = (folder_of(path), name.to_os_string());
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
    };
    push(file);
    let mut path = file.to_path_buf();
    'resolving: for _ in 0..MAX_LINKS {
        let mut prefix = PathBuf::new();
        let components: Vec<_> = path.components().collect();
        for (i, component) in components.iter().enumerate() {
            prefix.push(component);
            let is_link = std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.is_symlink());
            if !is_link {
                continue;
            }
            push(&prefix);
            let Ok(target) = std::fs::read_link(&prefix) else {
                break 'resolving;
            };
            let mut resolved = folder_of(&prefix).join(target);
            for rest in &components[i + 1..] {
                resolved.push(rest);
            }
            path = resolved;
            continue 'resolving;
        }
        break;
    }
    push(&path);
    entries
}

/// Whether an event on `paths` concerns one of `entries`.
fn concerns_any(paths: &[PathBuf], entries: &[(PathBuf, std::ffi::OsString)]) -> bool {
    paths.iter().any(|p| {
        entries.iter().any(|(folder, name)| {
            p.file_name() == Some(name.as_os_str()) && same_folder(&folder_of(p), folder)
        })
    })
}

/// Folders compared as written, else as resolved (`.` against an absolute path).
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

/// The folder to watch for `file` (`.` for a bare file name).
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Watches the folders of `entries` not watched yet (recorded in `folders`).
fn watch_new_folders(
    watcher: &mut notify::RecommendedWatcher,
    folders: &mut Vec<PathBuf>,
    entries: &[(PathBuf, std::ffi::OsString)],
) -> anyhow::Result<()> {
    for (folder, _) in entries {
        if folders.contains(folder) {
            continue;
        }
        watcher
            .watch(folder, RecursiveMode::NonRecursive)
            .map_err(|err| {
                anyhow::anyhow!(
                    "[knowledge] watch: cannot watch {}: {err}",
                    folder.display()
                )
            })?;
        folders.push(folder.clone());
    }
    Ok(())
}

/// What the last reload the watch started came to (also logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Swapped in; now serving this fingerprint.
    Reloaded { fingerprint: String },
    /// Refused (the problems are logged); still serving this fingerprint.
    Refused { serving: String },
}

/// What the watch follows and how it reloads it. The watch knows nothing else of the bot: the
/// caller (`serve`, through `Bot::watch_target`) supplies the reload.
pub struct Target {
    pub file: PathBuf,
    /// How long a reload waits for the file to be still (logged at start).
    pub settle: Duration,
    /// Reloads: the fingerprint now serving, or why not and the fingerprint still serving.
    pub reload: Box<dyn Fn() -> Result<String, (String, String)> + Send + Sync>,
}

/// Starts watching the target's file; reloads run until the runtime stops. Must be called
/// inside a tokio runtime. The receiver sees each reload's [`Outcome`] (`serve` ignores it; a
/// test waits on it). Errors: the folder cannot be watched (missing, no inotify watches left —
/// `fs.inotify.max_user_watches`).
pub fn spawn(target: Target) -> anyhow::Result<tokio::sync::watch::Receiver<Option<Outcome>>> {
    let file = target.file.clone();
    let reload = Arc::new(target.reload);
    if file.file_name().is_none() {
        anyhow::bail!(
            "[knowledge] watch: {} names no file to watch",
            file.display()
        );
    }
    let entries = std::sync::Arc::new(std::sync::RwLock::new(watched_entries(&file)));
    let (tx, mut rx) = mpsc::unbounded_channel::<()>();
    // The callback runs on notify's own thread; an unbounded send never blocks it.
    let seen = Arc::clone(&entries);
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if is_change(&event.kind) => {
                let entries = seen.read().unwrap_or_else(|p| p.into_inner());
                if concerns_any(&event.paths, &entries) {
                    let _ = tx.send(());
                }
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "knowledge file watch error"),
        })
        .map_err(|err| anyhow::anyhow!("[knowledge] watch: cannot start watching: {err}"))?;
    let mut folders: Vec<PathBuf> = Vec::new();
    watch_new_folders(
        &mut watcher,
        &mut folders,
        &entries.read().unwrap_or_else(|p| p.into_inner()),
    )?;
    tracing::info!(
        file = %file.display(),
        settle_ms = target.settle.as_millis() as u64,
        "watching the knowledge file: a change is reloaded once the file has been still for \
         settle_ms; replace it with `mv` (a write in place that pauses longer can be read \
         half-written)"
    );
    let (outcomes, receiver) = tokio::sync::watch::channel(None);
    tokio::spawn(async move {
        // Owned by the task: dropping it would stop the watch.
        let mut watcher = watcher;
        while rx.recv().await.is_some() {
            // Debounce: wait until the events stop for DEBOUNCE, or MAX_DEBOUNCE in all.
            let until = tokio::time::Instant::now() + MAX_DEBOUNCE;
            while let Ok(Some(())) = tokio::time::timeout_at(
                until.min(tokio::time::Instant::now() + DEBOUNCE),
                rx.recv(),
            )
            .await
            {}
            // A swapped link can lead somewhere new: follow it there too.
            let now = watched_entries(&file);
            let added = watch_new_folders(&mut watcher, &mut folders, &now);
            *entries.write().unwrap_or_else(|p| p.into_inner()) = now;
            if let Err(err) = added {
                tracing::warn!("{err}");
            }
            let reload = Arc::clone(&reload);
            let outcome = tokio::task::spawn_blocking(move || reload()).await;
            let outcome = match outcome {
                Ok(Ok(fingerprint)) => {
                    tracing::info!(fingerprint = %fingerprint, "knowledge file changed: reloaded");
                    Outcome::Reloaded { fingerprint }
                }
                Ok(Err((err, serving))) => {
                    for line in err.lines() {
                        tracing::warn!(
                            fingerprint = %serving,
                            "knowledge file changed: refused, still serving the last good one: {line}"
                        );
                    }
                    Outcome::Refused { serving }
                }
                Err(err) => {
                    tracing::error!("knowledge file reload panicked: {err}");
                    continue;
                }
            };
            // Nobody listening (serve) is fine.
            let _ = outcomes.send(Some(outcome));
        }
    });
    Ok(receiver)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::Bot;
    use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind, RenameMode};
    use std::ffi::OsStr;

    #[test]
    fn a_rename_a_write_and_a_creation_count_but_opens_and_reads_do_not() {
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::Permissions
        ))));
        assert!(!is_change(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn only_the_knowledge_files_own_name_concerns_it() {
        let name = OsStr::new("knowledge.toml");
        assert!(concerns(&[PathBuf::from("/srv/kb/knowledge.toml")], name));
        // `mv new.toml knowledge.toml` is reported with both names.
        assert!(concerns(
            &[
                PathBuf::from("/srv/kb/new.toml"),
                PathBuf::from("/srv/kb/knowledge.toml")
            ],
            name
        ));
        assert!(!concerns(
            &[PathBuf::from("/srv/kb/.knowledge.toml.swp")],
            name
        ));
        assert!(!concerns(&[PathBuf::from("/srv/kb/new.toml")], name));
    }

    #[test]
    fn a_bare_file_name_is_watched_in_the_current_folder() {
        assert_eq!(folder_of(Path::new("knowledge.toml")), PathBuf::from("."));
        assert_eq!(folder_of(Path::new("/a/b.toml")), PathBuf::from("/a"));
    }

    /// The next reload's outcome (10 s at most).
    async fn next(outcomes: &mut tokio::sync::watch::Receiver<Option<Outcome>>) -> Outcome {
        tokio::time::timeout(Duration::from_secs(10), outcomes.changed())
            .await
            .expect("a reload within 10 s")
            .unwrap();
        outcomes.borrow_and_update().clone().unwrap()
    }

    /// The whole path on a real folder: a swap by `rename` is reloaded, a broken swap is
    /// refused and the last good version keeps serving.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_renamed_file_is_reloaded_and_a_broken_one_refused() {
        use crate::bot::testing::{fact_toml, options, small_kb};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("knowledge.toml");
        let one = fact_toml("alpha", "Alpha", "A.", "2017", "alpha quote");
        let two = one.clone() + &fact_toml("beta", "Beta", "B.", "2018", "beta quote");
        std::fs::write(&path, small_kb(&one)).unwrap();
        let bot = Arc::new(Bot::new(options(path.clone())).unwrap());
        let mut outcomes = spawn(bot.watch_target()).unwrap();
        let first = bot.current().kb().fingerprint.clone();
        let swap = |text: String| {
            let new = dir.path().join("new.toml");
            std::fs::write(&new, text).unwrap();
            std::fs::rename(&new, &path).unwrap();
        };

        swap(small_kb(&two));
        let Outcome::Reloaded { fingerprint } = next(&mut outcomes).await else {
            panic!("refused")
        };
        assert_ne!(fingerprint, first);
        assert_eq!(bot.current().kb().fingerprint, fingerprint);
        assert_eq!(bot.current().kb().facts.len(), 2);

        swap("this is not = = toml".into());
        assert_eq!(
            next(&mut outcomes).await,
            Outcome::Refused {
                serving: fingerprint.clone()
            }
        );
        assert_eq!(bot.current().kb().fingerprint, fingerprint);
    }

    #[cfg(unix)]
    #[test]
    fn every_link_on_the_way_to_the_content_is_watched() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let cm = dir.path();
        std::fs::create_dir(cm.join("..v1")).unwrap();
        std::fs::write(cm.join("..v1/knowledge.toml"), "").unwrap();
        symlink("..v1", cm.join("..data")).unwrap();
        symlink("..data/knowledge.toml", cm.join("knowledge.toml")).unwrap();
        let entries = watched_entries(&cm.join("knowledge.toml"));
        for (folder, name) in [
            (cm.to_path_buf(), "knowledge.toml"),
            (cm.to_path_buf(), "..data"),
            (cm.join("..v1"), "knowledge.toml"),
        ] {
            assert!(
                entries
                    .iter()
                    .any(|(f, n)| n == name && same_folder(f, &folder)),
                "{folder:?}/{name} not in {entries:?}"
            );
        }
    }

    /// A Kubernetes ConfigMap update: the new version lands in a new folder and the `..data`
    /// link is swapped to it; the file's own link never changes.
    #[cfg(unix)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_configmap_style_data_swap_is_reloaded() {
        use crate::bot::testing::{fact_toml, options, small_kb};
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let cm = dir.path();
        let one = fact_toml("alpha", "Alpha", "A.", "2017", "alpha quote");
        let two = one.clone() + &fact_toml("beta", "Beta", "B.", "2018", "beta quote");
        std::fs::create_dir(cm.join("..v1")).unwrap();
        std::fs::write(cm.join("..v1/knowledge.toml"), small_kb(&one)).unwrap();
        symlink("..v1", cm.join("..data")).unwrap();
        symlink("..data/knowledge.toml", cm.join("knowledge.toml")).unwrap();
        let bot = Arc::new(Bot::new(options(cm.join("knowledge.toml"))).unwrap());
        let mut outcomes = spawn(bot.watch_target()).unwrap();
        std::fs::create_dir(cm.join("..v2")).unwrap();
        std::fs::write(cm.join("..v2/knowledge.toml"), small_kb(&two)).unwrap();
        symlink("..v2", cm.join("..data_tmp")).unwrap();
        std::fs::rename(cm.join("..data_tmp"), cm.join("..data")).unwrap();
        assert!(matches!(
            next(&mut outcomes).await,
            Outcome::Reloaded { .. }
        ));
        assert_eq!(bot.current().kb().facts.len(), 2);
    }

    /// A symlinked file whose target is replaced (in the target's own folder).
    #[cfg(unix)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_symlinked_files_replaced_target_is_reloaded() {
        use crate::bot::testing::{fact_toml, options, small_kb};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let one = fact_toml("alpha", "Alpha", "A.", "2017", "alpha quote");
        let two = one.clone() + &fact_toml("beta", "Beta", "B.", "2018", "beta quote");
        std::fs::write(real.join("kb.toml"), small_kb(&one)).unwrap();
        let link = dir.path().join("knowledge.toml");
        std::os::unix::fs::symlink(real.join("kb.toml"), &link).unwrap();
        let bot = Arc::new(Bot::new(options(link)).unwrap());
        let mut outcomes = spawn(bot.watch_target()).unwrap();
        std::fs::write(real.join("new.toml"), small_kb(&two)).unwrap();
        std::fs::rename(real.join("new.toml"), real.join("kb.toml")).unwrap();
        assert!(matches!(
            next(&mut outcomes).await,
            Outcome::Reloaded { .. }
        ));
        assert_eq!(bot.current().kb().facts.len(), 2);
    }

    /// A file rewritten every 200 ms used to postpone every reload while the rewrites lasted.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rewrites_that_never_stop_do_not_postpone_the_reload_forever() {
        use crate::bot::testing::{fact_toml, options, small_kb};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("knowledge.toml");
        let one = fact_toml("alpha", "Alpha", "A.", "2017", "alpha quote");
        std::fs::write(&path, small_kb(&one)).unwrap();
        let bot = Arc::new(Bot::new(options(path.clone())).unwrap());
        let mut outcomes = spawn(bot.watch_target()).unwrap();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (stop, path) = (Arc::clone(&stop), path.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let fact =
                        fact_toml("alpha", "Alpha", &format!("A{n}."), "2017", "alpha quote");
                    std::fs::write(&path, small_kb(&fact)).unwrap();
                    std::thread::sleep(Duration::from_millis(200));
                }
            })
        };
        let started = tokio::time::Instant::now();
        next(&mut outcomes).await;
        assert!(started.elapsed() < MAX_DEBOUNCE + Duration::from_secs(4));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap();
    }
}
