//! `serve`: run the Discord bot until SIGINT/SIGTERM; SIGHUP reloads the knowledge base.
//! With `--interactions`, serve the HTTP interactions endpoint instead of the gateway.
//!
//! Everything that can be wrong with the configuration — the file, a key, the token, the
//! knowledge base — is reported before any connection is made (exit code 2).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use cyberbridge::bot::Bot;
use cyberbridge::config::Config;
use cyberbridge::discord;
use cyberbridge::discord::connect::TokenRejected;
use cyberbridge::ops;

/// How the log lines on stderr look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event (colours only on a terminal).
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// After the Discord client is done, tasks still running (a reload on a blocking thread, a
/// reply being retried) get this long before the process exits anyway.
pub const RUNTIME_GRACE: Duration = Duration::from_millis(500);
/// How often the metrics recorder drains histogram samples into their buckets.
pub const METRICS_UPKEEP: Duration = Duration::from_secs(5);

pub fn serve(
    config_path: &Path,
    log_format: LogFormat,
    interactions: bool,
    knowledge: Option<std::path::PathBuf>,
) -> anyhow::Result<ExitCode> {
    if !config_path.exists() {
        anyhow::bail!(
            "no config file at {}\nhint: cp config.example.toml {} and edit it, or pass --config FILE",
            config_path.display(),
            config_path.display()
        );
    }
    let mut config = Config::load(config_path)?;
    if let Some(path) = knowledge {
        config.knowledge.path = path;
    }
    // The token may come from the file, not the environment main registered.
    cyberbridge::secrets::register(config.discord.token.expose());
    if interactions && config.interactions.public_key.is_none() {
        return Err(cyberbridge::interactions::NoPublicKey.into());
    }
    // The load error already names the file and every problem (its I/O cause included).
    let bot = Bot::from_config(&config).map_err(|err| anyhow::anyhow!("{err}"))?;
    let bot = Arc::new(bot);
    init_logging(log_format);
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
        match &bot.options().eval {
            Some(gate) => tracing::info!(
                eval = %gate.path.display(),
                min_top1 = gate.min_top1,
                min_declined = gate.min_declined,
                "eval gate on: a reload below a floor and below the running version is refused"
            ),
            None => tracing::info!("eval gate off ([knowledge] eval_path not set)"),
        }
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let outcome = runtime.block_on(async {
        // Listen for signals before anything else, so none is missed.
        let shutdown = shutdown_signal()?;
        if let Some(addr) = config.metrics.listen {
            serve_metrics(addr, Arc::clone(&bot), interactions).await?;
        }
        reload_on_sighup(Arc::clone(&bot));
        // [knowledge] watch: every process follows the file (same validated reload path).
        if config.knowledge.watch {
            ops::watch::spawn(bot.watch_target())?;
            bot.set_watching(true);
        }
        if interactions {
            cyberbridge::interactions::run(bot, &config, shutdown).await
        } else {
            discord::run_with(bot, &config.discord, shutdown).await
        }
    });
    // Whatever is still running (a reload, a retried reply) must not hold the process.
    runtime.shutdown_timeout(RUNTIME_GRACE);
    match outcome {
        Ok(()) => {
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        // Bad configuration: exit 2 with the message, like the checks before connecting.
        Err(err) if err.downcast_ref::<TokenRejected>().is_some() => Err(err),
        Err(err) if err.downcast_ref::<MetricsListenError>().is_some() => Err(err),
        Err(err)
            if err
                .downcast_ref::<cyberbridge::interactions::ListenError>()
                .is_some() =>
        {
            Err(err)
        }
        Err(err) => {
            tracing::error!("{err:#}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `[metrics] listen` could not be bound (a configuration error: exit 2).
#[derive(Debug, thiserror::Error)]
#[error("[metrics] listen: cannot listen on {addr}: {error}")]
struct MetricsListenError {
    addr: std::net::SocketAddr,
    error: std::io::Error,
}

/// Installs the Prometheus recorder and serves `/metrics` and `/healthz` on `addr`. With
/// `interactions` (no gateway), health is only the knowledge base.
async fn serve_metrics(
    addr: std::net::SocketAddr,
    bot: Arc<Bot>,
    interactions: bool,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| MetricsListenError { addr, error })?;
    let handle = ops::install()?;
    {
        let loaded = bot.current();
        ops::knowledge(loaded.kb().facts.len(), &loaded.kb().fingerprint);
        // Gauges exist once set: publish the state as it is now.
        bot.status().set_gateway(bot.status().gateway());
    }
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(METRICS_UPKEEP);
        loop {
            tick.tick().await;
            upkeep.run_upkeep();
        }
    });
    let sources = ops::http::Sources {
        metrics: Box::new(move || handle.render()),
        health: Box::new(move || {
            let loaded = bot.current();
            let facts = loaded.kb().facts.len();
            if interactions {
                let line = format!(
                    "interactions endpoint, knowledge {} ({facts} facts)",
                    loaded.kb().fingerprint
                );
                return if facts > 0 { Ok(line) } else { Err(line) };
            }
            let gateway = bot.status().gateway();
            let line = format!(
                "gateway {}, knowledge {} ({facts} facts)",
                gateway.label(),
                loaded.kb().fingerprint
            );
            if ops::healthy(gateway, facts) {
                Ok(line)
            } else {
                Err(line)
            }
        }),
    };
    tracing::info!("metrics on http://{addr}/metrics, health on http://{addr}/healthz");
    tokio::spawn(ops::http::serve(listener, Arc::new(sources)));
    Ok(())
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(cyberbridge::secrets::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        // Colour codes only where someone reads them: not in files, journald or pipes.
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .try_init(),
    };
}

/// The log filter when `RUST_LOG` is not set.
pub const DEFAULT_LOG_FILTER: &str = "info,serenity=warn,tracing::span=warn";

/// Registers for SIGINT (Ctrl-C) and SIGTERM now; the future completes on either.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => tracing::info!("SIGINT received"),
                _ = term.recv() => tracing::info!("SIGTERM received"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
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
