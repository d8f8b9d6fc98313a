//! The serenity event handler: each event is converted, handed to the bot, and the reply sent.
//! Every event runs in a `shard` span (`shard{id=1}: …` in the log, a `span` field in JSON
//! logs) and is counted per shard.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serenity::all::{
    Command, CommandInteraction, ComponentInteraction, Context, EventHandler, Guild, GuildId,
    Interaction, Message, Ready, ResumedEvent,
};
use serenity::async_trait;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::shards::Plan;
use super::{convert, send};
use crate::bot::{Bot, GatewayShard, Input};
use crate::ops::{self, GatewayState};

pub struct Handler {
    bot: Arc<Bot>,
    dev_guild_id: Option<u64>,
    /// The shards this process runs.
    plan: Plan,
    /// The bot's own user id, from READY (0 before).
    bot_id: AtomicU64,
    /// Guild → owner, from GUILD_CREATE (serenity's cache is not compiled in). A std mutex:
    /// held for a lookup, never across `.await`.
    owners: Mutex<HashMap<u64, u64>>,
}

impl Handler {
    pub fn new(bot: Arc<Bot>, dev_guild_id: Option<u64>, plan: Plan) -> Self {
        Handler {
            bot,
            dev_guild_id,
            plan,
            bot_id: AtomicU64::new(0),
            owners: Mutex::new(HashMap::new()),
        }
    }

    /// Runs the bot's (synchronous, CPU-bound) work in its work queue
    /// ([`crate::bot::work`]), so that one slow request never holds an async worker that every
    /// other interaction needs. `None` if it panicked (logged).
    async fn off_runtime<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Bot) -> T + Send + 'static,
    ) -> Option<T> {
        let bot = Arc::clone(&self.bot);
        self.bot.work().run(move || work(&bot)).await
    }

    /// The shard that delivered `ctx`'s event.
    fn shard(&self, ctx: &Context) -> GatewayShard {
        GatewayShard {
            id: ctx.shard_id.0,
            total: self.plan.total,
        }
    }

    fn owners(&self) -> HashMap<u64, u64> {
        self.owners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    async fn register_commands(&self, ctx: &Context) {
        let commands = convert::commands();
        let deadline = Instant::now() + send::FOLLOW_UP_BUDGET;
        let result = match self.dev_guild_id {
            Some(guild) => {
                let guild = GuildId::new(guild);
                send::retry(deadline, || guild.set_commands(&ctx.http, commands.clone())).await
            }
            None => {
                send::retry(deadline, || {
                    Command::set_global_commands(&ctx.http, commands.clone())
                })
                .await
            }
        };
        match result {
            Ok(registered) => {
                tracing::info!(
                    count = registered.len(),
                    guild = self.dev_guild_id,
                    "commands registered"
                );
                self.bot.set_command_ids(convert::command_ids(&registered));
            }
            Err(err) => tracing::error!(error = %send::describe(&err), "cannot register commands"),
        }
    }

    async fn command(&self, ctx: &Context, cmd: CommandInteraction, received: Instant) {
        let mut request = convert::command_request(&cmd, &self.owners());
        request.invoker.via_shard = Some(self.shard(ctx));
        let slow = matches!(&request.input, Input::Command(command) if command.is_slow());
        if slow {
            // Defer at once (ephemeral: slow commands are admin tools), work on a blocking
            // thread, then edit the deferred message.
            let deferral = convert::deferral(crate::bot::Delivery::NewMessage, true);
            let deadline = received + send::CALLBACK_DEADLINE;
            if let Err(err) =
                send::callback(&ctx.http, cmd.id, &cmd.token, &deferral, deadline).await
            {
                tracing::warn!(interaction = cmd.id.get(), error = %send::describe(&err), "cannot defer; not running the command");
                return;
            }
            let bot = Arc::clone(&self.bot);
            let lang = request.invoker.lang;
            let reply = match tokio::task::spawn_blocking(move || bot.handle(&request)).await {
                Ok(reply) => reply,
                Err(err) => {
                    tracing::error!(interaction = cmd.id.get(), error = %err, "handler panicked");
                    crate::bot::render::internal_error(lang)
                }
            };
            match send::edit_original(&ctx.http, &cmd.token, &convert::edit(&reply)).await {
                Ok(()) => ops::reply_latency(received.elapsed()),
                Err(err) => {
                    ops::reply_error();
                    tracing::warn!(interaction = cmd.id.get(), error = %send::describe(&err), "reply failed");
                }
            }
            return;
        }
        // Most commands answer in public; one still queued at the deferral deadline is
        // deferred that way (a decline then shows in public too, which is harmless).
        let provisional = convert::deferral(crate::bot::Delivery::NewMessage, false);
        let lang = request.invoker.lang;
        let work = self.off_runtime(move |bot| bot.handle(&request));
        let work = async move {
            work.await
                .unwrap_or_else(|| crate::bot::render::internal_error(lang))
        };
        send::reply_in_time(&ctx.http, cmd.id, &cmd.token, received, &provisional, work).await;
    }

    async fn component(&self, ctx: &Context, press: ComponentInteraction, received: Instant) {
        let mut request = convert::component_request(&press, &self.owners());
        request.invoker.via_shard = Some(self.shard(ctx));
        // A button's reply ("Why this answer?", a fact) is for the one who pressed it.
        let provisional = convert::deferral(crate::bot::Delivery::NewMessage, true);
        let lang = request.invoker.lang;
        let work = self.off_runtime(move |bot| bot.handle(&request));
        let work = async move {
            work.await
                .unwrap_or_else(|| crate::bot::render::internal_error(lang))
        };
        send::reply_in_time(
            &ctx.http,
            press.id,
            &press.token,
            received,
            &provisional,
            work,
        )
        .await;
    }
}

/// The span every event of `ctx`'s shard runs in.
fn shard_span(ctx: &Context) -> tracing::Span {
    tracing::info_span!("shard", id = ctx.shard_id.0)
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let shard = ctx.shard_id.0;
        ops::shard_event(shard, "ready");
        async {
            self.bot_id.store(ready.user.id.get(), Ordering::Relaxed);
            // With several shards the gateway watcher decides: connected once all are.
            if self.plan.ids.len() == 1 {
                self.bot.status().set_gateway(GatewayState::Connected);
            }
            tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
            // Once per process (bulk overwrite, so two processes registering is harmless).
            if shard == self.plan.ids.start {
                self.register_commands(&ctx).await;
            }
        }
        .instrument(shard_span(&ctx))
        .await;
    }

    async fn resume(&self, ctx: Context, _event: ResumedEvent) {
        ops::shard_event(ctx.shard_id.0, "resumed");
        if self.plan.ids.len() == 1 {
            self.bot.status().set_gateway(GatewayState::Connected);
        }
        shard_span(&ctx).in_scope(|| tracing::info!("connection resumed"));
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        ops::shard_event(ctx.shard_id.0, "guild_create");
        self.owners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(guild.id.get(), guild.owner_id.get());
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let received = Instant::now();
        ops::shard_event(ctx.shard_id.0, "interaction");
        let span = shard_span(&ctx);
        async {
            match interaction {
                Interaction::Command(cmd) => self.command(&ctx, cmd, received).await,
                Interaction::Component(press) => self.component(&ctx, press, received).await,
                Interaction::Autocomplete(ac) => {
                    let request = convert::autocomplete_request(&ac);
                    // Suggestions cannot be deferred: none, if the turn comes too late.
                    let bot = Arc::clone(&self.bot);
                    let choices = self
                        .bot
                        .work()
                        .run_before(received + crate::bot::work::AUTOCOMPLETE_WAIT, move || {
                            bot.autocomplete(&request)
                        })
                        .await
                        .unwrap_or_default();
                    let response = convert::autocomplete(&choices);
                    let deadline = received + send::CALLBACK_DEADLINE;
                    if let Err(err) =
                        send::callback(&ctx.http, ac.id, &ac.token, &response, deadline).await
                    {
                        tracing::warn!(interaction = ac.id.get(), error = %send::describe(&err), "autocomplete failed");
                    }
                }
                _ => {}
            }
        }
        .instrument(span)
        .await;
    }

    async fn message(&self, ctx: Context, msg: Message) {
        ops::shard_event(ctx.shard_id.0, "message");
        let span = shard_span(&ctx);
        async {
            let incoming = convert::message(&msg, self.bot_id.load(Ordering::Relaxed));
            let Some(reply) = self
                .off_runtime(move |bot| bot.handle_message(&incoming))
                .await
                .flatten()
            else {
                return;
            };
            let create = convert::channel_reply(&reply, &msg);
            if let Err(err) = send::channel_message(&ctx.http, msg.channel_id, &create).await {
                ops::reply_error();
                tracing::warn!(message = msg.id.get(), channel = msg.channel_id.get(), error = %send::describe(&err), "reply failed");
            }
        }
        .instrument(span)
        .await;
    }
}
