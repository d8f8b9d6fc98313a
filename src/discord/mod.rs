//! The serenity adapter: connects, registers the command registry, turns events into bot
//! requests and replies into Discord messages, with retries on the reply path.
//!
//! - [`run`]: the entry point for `serve` and for end-to-end tests (config in, shutdown signal
//!   in). I/O edges are injected: the REST base URL (`[discord] http_proxy`) and the shutdown
//!   future; signals are the caller's business (see `cli/serve.rs`).
//! - [`handler`]: the event handler, a few lines per event.
//! - [`convert`]: serenity ⇄ bot types; every message parses no mentions.
//! - [`send`]: retries within Discord's deadlines.
//! - [`connect`]: reaching Discord (backoff, one clear line per failure) and stopping on time.
//! - [`shards`]: which gateway shards this process runs (`[discord] shards`), and when it may
//!   IDENTIFY them.

pub mod connect;
pub mod convert;
pub mod handler;
pub mod send;
pub mod shards;

use std::future::{Future, IntoFuture};
use std::sync::Arc;

use anyhow::Context as _;
use serenity::all::{ClientBuilder, GatewayIntents, Http, HttpBuilder};
use serenity::gateway::{ConnectionStage, GatewayError, ShardManager};

use crate::bot::Bot;
use crate::config::{Config, DiscordConfig};
use crate::ops::GatewayState;

/// Guild events (for owners), guild messages (for @mentions) and DMs — nothing privileged:
/// Discord includes message content in DMs and in messages that mention the bot.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
}

/// The REST client: through `http_proxy` with serenity's rate limiter off (the proxy is the
/// rate limiter, and serenity only uses the proxy that way), else straight to Discord.
pub fn http(config: &DiscordConfig) -> Http {
    let builder =
        HttpBuilder::new(config.token.expose()).default_allowed_mentions(convert::no_mentions());
    match &config.http_proxy {
        Some(proxy) => builder.proxy(proxy).ratelimiter_disabled(true).build(),
        None => builder.build(),
    }
}

/// Loads the knowledge base named by `config`, connects, and serves until `shutdown`
/// completes (then closes the gateway gracefully). Errors: the knowledge base does not load,
/// or the client fails (e.g. the token is refused).
pub async fn run(config: Config, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
    // The load error already names the file and every problem (its I/O cause included).
    let bot = Bot::from_config(&config).map_err(|err| anyhow::anyhow!("{err}"))?;
    run_with(Arc::new(bot), &config.discord, shutdown).await
}

/// Like [`run`], with a bot built by the caller (who can keep a handle to it, e.g. to reload).
///
/// `shutdown` wins in every state: while Discord is unreachable (the probe loop is dropped),
/// and once connected (`shutdown_all`, then at most [`connect::SHUTDOWN_GRACE`] for the client
/// to finish, after which it is abandoned). A refused token is a [`connect::TokenRejected`]
/// error (find it with `downcast_ref`).
pub async fn run_with(
    bot: Arc<Bot>,
    config: &DiscordConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    tokio::pin!(shutdown);
    let status = || bot.status();
    status().set_gateway(GatewayState::Connecting);
    let rest_base = config
        .http_proxy
        .clone()
        .unwrap_or_else(|| connect::DISCORD_REST.to_string());
    let probe_http = http(config);
    let reached = tokio::select! {
        reached = connect::until_reachable(&probe_http, &rest_base, connect::Backoff::default()) => reached?,
        () = &mut shutdown => {
            tracing::info!("shutting down (never connected)");
            status().set_gateway(GatewayState::Stopping);
            return Ok(());
        }
    };
    let gateway = reached.gateway.clone();
    let plan = shards::Plan::new(
        config.shards,
        reached.recommended_shards,
        reached.max_concurrency,
    );
    tracing::info!(
        rest = %rest_base,
        gateway = %gateway,
        shards = %plan,
        max_concurrency = plan.max_concurrency,
        "Discord is reachable; connecting"
    );
    let builder = ClientBuilder::new_with_http(http(config), intents()).event_handler(
        handler::Handler::new(Arc::clone(&bot), config.dev_guild_id, plan.clone()),
    );
    // Building asks Discord for the gateway URL once more: that too gives way to shutdown.
    let mut client = tokio::select! {
        built = builder.into_future() => built.context("building the Discord client")?,
        () = &mut shutdown => {
            tracing::info!("shutting down (never connected)");
            status().set_gateway(GatewayState::Stopping);
            return Ok(());
        }
    };
    // On a failure the builder falls back to discord.gg: use the URL the probe just reached.
    *client.ws_url.lock().await = gateway;
    let delay = shards::identify_delay(&plan);
    if !delay.is_zero() {
        tracing::info!(
            wait_s = delay.as_secs(),
            "waiting for this range's turn to IDENTIFY (processes before it identify first)"
        );
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = &mut shutdown => {
                tracing::info!("shutting down (never connected)");
                status().set_gateway(GatewayState::Stopping);
                return Ok(());
            }
        }
    }
    let shard_manager = Arc::clone(&client.shard_manager);
    let watcher = tokio::spawn(watch_gateway(
        Arc::clone(&shard_manager),
        Arc::clone(&bot),
        plan.clone(),
    ));
    let (range, total) = (plan.serenity_range(), plan.total);
    let mut running = tokio::spawn(async move { client.start_shard_range(range, total).await });
    let outcome = tokio::select! {
        finished = &mut running => {
            match finished.context("the Discord client task failed")? {
                Ok(()) => Ok(()),
                Err(serenity::Error::Gateway(GatewayError::InvalidAuthentication)) => {
                    Err(connect::TokenRejected { detail: "gateway close code 4004".into() }.into())
                }
                Err(err) => Err(anyhow::Error::new(err).context("Discord client")),
            }
        }
        () = &mut shutdown => {
            tracing::info!("shutting down");
            status().set_gateway(GatewayState::Stopping);
            let stopped = tokio::time::timeout(connect::SHUTDOWN_GRACE, async {
                shard_manager.shutdown_all().await;
                let _ = (&mut running).await;
            })
            .await;
            if stopped.is_err() {
                tracing::warn!(
                    "the Discord client did not stop within {} s; leaving it",
                    connect::SHUTDOWN_GRACE.as_secs()
                );
                running.abort();
            }
            Ok(())
        }
    };
    watcher.abort();
    status().set_gateway(GatewayState::Stopping);
    outcome
}

/// How often the gateway state is read from serenity's shard manager.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// Keeps the bot's gateway state in step with the shards (serenity has no event for a lost
/// connection): connected when every shard of `plan` is, reconnecting when they were and one
/// is no longer. Each shard's state is also a metric.
async fn watch_gateway(manager: Arc<ShardManager>, bot: Arc<Bot>, plan: shards::Plan) {
    let mut tick = tokio::time::interval(WATCH_INTERVAL);
    loop {
        tick.tick().await;
        let up: Vec<(u32, bool)> = {
            let runners = manager.runners.lock().await;
            plan.ids
                .clone()
                .map(|id| {
                    let connected = runners
                        .get(&serenity::all::ShardId(id))
                        .is_some_and(|runner| runner.stage == ConnectionStage::Connected);
                    (id, connected)
                })
                .collect()
        };
        for &(id, connected) in &up {
            crate::ops::shard_connected(id, connected);
        }
        let connected = up.iter().all(|&(_, connected)| connected);
        match (connected, bot.status().gateway()) {
            (true, GatewayState::Reconnecting) => {
                bot.status().set_gateway(GatewayState::Connected);
                tracing::info!("gateway connection back");
            }
            (true, GatewayState::Connecting) => bot.status().set_gateway(GatewayState::Connected),
            (false, GatewayState::Connected) => {
                bot.status().lost();
                tracing::warn!("gateway connection lost; reconnecting");
            }
            _ => {}
        }
    }
}
