//! `serve`: run the Discord bot until SIGINT/SIGTERM; SIGHUP reloads the knowledge base.
//!
//! Everything that can be wrong with the configuration — the file, a key, the token, the
//! knowledge base — is reported before any connection is made (exit code 2).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cyberbridge::bot::Bot;
use cyberbridge::config::Config;
use cyberbridge::discord;

/// How long SIGTERM waits for blocking work (a reload) before the process exits anyway.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

pub fn serve(config_path: &Path) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    // The load error already names the file and every problem (its I/O cause included).
    let bot = Bot::from_config(&config).map_err(|err| anyhow::anyhow!("{err}"))?;
    let bot = Arc::new(bot);
    init_logging();
    {
        let loaded = bot.current();
        tracing::info!(
            config = %config.path.display(),
            knowledge = %config.knowledge.path.display(),
            facts = loaded.kb().facts.len(),
            fingerprint = %loaded.kb().fingerprint,
            proxy = config.discord.http_proxy.as_deref().unwrap_or("none"),
            "starting"
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let outcome = runtime.block_on(async {
        reload_on_sighup(Arc::clone(&bot));
        discord::run_with(bot, &config.discord, shutdown_signal()).await
    });
    // Blocking work still running (a reload of a huge file) must not hold the exit: dropping
    // the runtime would wait for it.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(err) => {
            tracing::error!("{err:#}");
            Ok(ExitCode::from(1))
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn,tracing::span=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// SIGHUP runs the same reload as `/reload` (validate, eval gate, swap; old kept on error).
fn reload_on_sighup(bot: Arc<Bot>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; use /reload");
            return;
        };
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                let bot = Arc::clone(&bot);
                match tokio::task::spawn_blocking(move || bot.reload_now()).await {
                    Ok(Ok(_)) => {} // logged by reload_now
                    Ok(Err(err)) => {
                        for line in err.lines() {
                            tracing::warn!("SIGHUP reload refused: {line}");
                        }
                    }
                    Err(err) => tracing::error!("SIGHUP reload panicked: {err}"),
                }
            }
        });
    }
    #[cfg(not(unix))]
    let _ = bot;
}
