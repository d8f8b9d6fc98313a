//! Conversions: serenity events → bot requests, bot replies → serenity builders. Every
//! outgoing message carries allowed mentions that parse nothing.

use std::collections::HashMap;

use serenity::all::{
    AutocompleteChoice, ButtonStyle as SerenityButtonStyle, Colour, CommandData,
    CommandDataOptionValue, CommandInteraction, CommandOptionType, ComponentInteraction,
    CreateActionRow, CreateAllowedMentions, CreateAutocompleteResponse, CreateButton,
    CreateCommand, CreateCommandOption, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, GuildId, Member,
    Message, Nonce, Permissions, User,
};

use crate::bot::commands::{CommandSpec, OptionKind, COMMANDS};
use crate::bot::i18n::{self, Lang};
use crate::bot::{
    AutocompleteRequest, BotCommand, Button, ButtonAction, ButtonStyle, Choice, Delivery, Embed,
    IncomingMessage, Input, Invoker, OptionValue, Place, Reply, Request,
};

/// Mentions that ping nobody: `parse: []`, no users, no roles, and no ping of the author of
/// the message replied to.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .replied_user(false)
}

// --- Incoming --------------------------------------------------------------------------------

/// Who invoked an interaction. `owners` maps guild → owner, learnt from GUILD_CREATE.
pub fn invoker(
    user: &User,
    member: Option<&Member>,
    guild_id: Option<GuildId>,
    owners: &HashMap<u64, u64>,
    channel_id: u64,
    locale: &str,
) -> Invoker {
    let place = guild_id.map_or(Place::Dm, |g| Place::Guild(g.get()));
    Invoker {
        user_id: user.id.get(),
        role_ids: member
            .map(|m| m.roles.iter().map(|r| r.get()).collect())
            .unwrap_or_default(),
        is_admin_by_permission: member
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.manage_guild() || p.administrator()),
        is_guild_owner: guild_id
            .and_then(|g| owners.get(&g.get()))
            .is_some_and(|owner| *owner == user.id.get()),
        place,
        channel_id,
        lang: Lang::from_locale(locale),
        // The event handler knows the shard; it sets this.
        via_shard: None,
    }
}

/// The top-level options as `(name, value)`.
pub fn options(data: &CommandData) -> Vec<(String, OptionValue)> {
    data.options
        .iter()
        .map(|o| {
            let value = match &o.value {
                CommandDataOptionValue::String(s) => OptionValue::String(s.clone()),
                CommandDataOptionValue::Integer(i) => OptionValue::Integer(*i),
                CommandDataOptionValue::Boolean(b) => OptionValue::Boolean(*b),
                CommandDataOptionValue::Autocomplete { value, .. } => {
                    OptionValue::String(value.clone())
                }
                other => OptionValue::Other(format!("{:?}", other.kind())),
            };
            (o.name.clone(), value)
        })
        .collect()
}

/// A slash command as a bot request: the options checked against the registry (an unknown
/// command or a bad option becomes a variant that answers with an explanation, never a panic).
pub fn command_request(cmd: &CommandInteraction, owners: &HashMap<u64, u64>) -> Request {
    Request {
        input: Input::Command(BotCommand::parse(&cmd.data.name, &options(&cmd.data))),
        invoker: invoker(
            &cmd.user,
            cmd.member.as_deref(),
            cmd.guild_id,
            owners,
            cmd.channel_id.get(),
            &cmd.locale,
        ),
    }
}

/// A button press as a bot request (an unknown `custom_id` is a variant, not an error).
pub fn component_request(press: &ComponentInteraction, owners: &HashMap<u64, u64>) -> Request {
    Request {
        input: Input::Button(ButtonAction::parse(&press.data.custom_id)),
        invoker: invoker(
            &press.user,
            press.member.as_ref(),
            press.guild_id,
            owners,
            press.channel_id.get(),
            &press.locale,
        ),
    }
}

pub fn message(msg: &Message, bot_id: u64) -> IncomingMessage {
    IncomingMessage {
        content: msg.content.clone(),
        author_id: msg.author.id.get(),
        author_is_bot: msg.author.bot,
        place: msg.guild_id.map_or(Place::Dm, |g| Place::Guild(g.get())),
        channel_id: msg.channel_id.get(),
        mentions_bot: msg.mentions.iter().any(|u| u.id.get() == bot_id),
        bot_id,
    }
}

// --- Outgoing --------------------------------------------------------------------------------

fn embed(e: &Embed) -> CreateEmbed {
    let mut out = CreateEmbed::new();
    if let Some(title) = &e.title {
        out = out.title(title);
    }
    if let Some(url) = &e.url {
        out = out.url(url);
    }
    if let Some(description) = &e.description {
        out = out.description(description);
    }
    out = out.fields(
        e.fields
            .iter()
            .map(|f| (f.name.clone(), f.value.clone(), f.inline)),
    );
    if let Some(footer) = &e.footer {
        out = out.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(colour) = e.colour {
        out = out.colour(Colour::new(colour));
    }
    out
}

fn button(b: &Button) -> CreateButton {
    let style = match b.style {
        ButtonStyle::Primary => SerenityButtonStyle::Primary,
        ButtonStyle::Secondary => SerenityButtonStyle::Secondary,
        ButtonStyle::Success => SerenityButtonStyle::Success,
        ButtonStyle::Danger => SerenityButtonStyle::Danger,
    };
    CreateButton::new(&b.custom_id).label(&b.label).style(style)
}

fn components(reply: &Reply) -> Vec<CreateActionRow> {
    reply
        .rows
        .iter()
        .map(|row| CreateActionRow::Buttons(row.iter().map(button).collect()))
        .collect()
}

fn embeds(reply: &Reply) -> Vec<CreateEmbed> {
    reply.embeds.iter().map(embed).collect()
}

/// The message part of an interaction response.
pub fn response_message(reply: &Reply) -> CreateInteractionResponseMessage {
    let mut out = CreateInteractionResponseMessage::new()
        .embeds(embeds(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions());
    // Only ever set the flag: an update of a message must not try to change its flags.
    if reply.ephemeral {
        out = out.ephemeral(true);
    }
    if let Some(content) = &reply.content {
        out = out.content(content);
    }
    out
}

/// The initial response to a command or button.
pub fn response(reply: &Reply) -> CreateInteractionResponse {
    match reply.delivery {
        Delivery::NewMessage => CreateInteractionResponse::Message(response_message(reply)),
        Delivery::UpdateMessage => {
            CreateInteractionResponse::UpdateMessage(response_message(reply))
        }
    }
}

/// The deferral matching `reply` (ephemerality is decided here, not by the later edit).
pub fn deferral(delivery: Delivery, ephemeral: bool) -> CreateInteractionResponse {
    match delivery {
        Delivery::NewMessage => CreateInteractionResponse::Defer(
            CreateInteractionResponseMessage::new().ephemeral(ephemeral),
        ),
        Delivery::UpdateMessage => CreateInteractionResponse::Acknowledge,
    }
}

/// `PATCH @original` after a deferral.
pub fn edit(reply: &Reply) -> EditInteractionResponse {
    let mut out = EditInteractionResponse::new()
        .embeds(embeds(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions());
    if let Some(content) = &reply.content {
        out = out.content(content);
    }
    out
}

/// A reply to a channel message. The nonce (the asker's message id) with `enforce_nonce` makes
/// Discord drop a duplicate, so retrying after an ambiguous failure cannot post twice.
pub fn channel_reply(reply: &Reply, to: &Message) -> CreateMessage {
    let mut out = CreateMessage::new()
        .embeds(embeds(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions())
        .reference_message(to)
        .nonce(Nonce::String(to.id.get().to_string()))
        .enforce_nonce(true);
    if let Some(content) = &reply.content {
        out = out.content(content);
    }
    out
}

/// A reply to an interaction, built both ways `send` may deliver it: as the initial response,
/// or as a deferral (ephemeral as the reply) followed by an edit of `@original`.
pub struct InteractionReply {
    pub response: CreateInteractionResponse,
    pub deferral: CreateInteractionResponse,
    pub edit: EditInteractionResponse,
}

pub fn interaction_reply(reply: &Reply) -> InteractionReply {
    InteractionReply {
        response: response(reply),
        deferral: deferral(reply.delivery, reply.ephemeral),
        edit: edit(reply),
    }
}

/// An autocomplete interaction as a bot request: who types, in which command and option, what.
pub fn autocomplete_request(ac: &CommandInteraction) -> AutocompleteRequest {
    let focused = ac.data.autocomplete();
    AutocompleteRequest {
        user_id: ac.user.id.get(),
        command: ac.data.name.clone(),
        option: focused
            .as_ref()
            .map(|o| o.name.to_string())
            .unwrap_or_default(),
        typed: focused.map(|o| o.value.to_string()).unwrap_or_default(),
        lang: Lang::from_locale(&ac.locale),
    }
}

pub fn autocomplete(choices: &[Choice]) -> CreateInteractionResponse {
    CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(
            choices
                .iter()
                .map(|c| AutocompleteChoice::new(c.name.clone(), c.value.clone()))
                .collect(),
        ),
    )
}

// --- Registration ----------------------------------------------------------------------------

fn create_command(spec: &CommandSpec) -> CreateCommand {
    let mut command = CreateCommand::new(spec.name).description(spec.description);
    // Japanese and Hindi names and descriptions, from the message catalogue.
    for lang in Lang::ALL {
        if let Some(name) = i18n::command_name(lang, spec) {
            command = command
                .name_localized(lang.code(), name)
                .description_localized(lang.code(), i18n::command_description(lang, spec));
        }
    }
    for o in spec.options {
        let kind = match o.kind {
            OptionKind::String => CommandOptionType::String,
            OptionKind::Integer => CommandOptionType::Integer,
            OptionKind::Boolean => CommandOptionType::Boolean,
        };
        let mut option = CreateCommandOption::new(kind, o.name, o.description)
            .required(o.required)
            .set_autocomplete(o.autocomplete.is_some());
        for lang in Lang::ALL {
            if let Some(name) = i18n::option_name(lang, o) {
                option = option
                    .name_localized(lang.code(), name)
                    .description_localized(lang.code(), i18n::option_description(lang, spec, o));
            }
        }
        if o.kind == OptionKind::String {
            option = option.max_length(u16::try_from(o.max_chars).unwrap_or(u16::MAX));
        }
        for (name, value) in o.choices {
            option = option.add_string_choice(*name, *value);
        }
        command = command.add_option(option);
    }
    if spec.admin_only {
        command = command.default_member_permissions(Permissions::MANAGE_GUILD);
    }
    command
}

/// The ids Discord assigned to our commands, from the bulk overwrite's answer.
pub fn command_ids(registered: &[serenity::all::Command]) -> crate::bot::commands::CommandIds {
    crate::bot::commands::CommandIds::new(registered.iter().map(|c| (c.name.clone(), c.id.get())))
}

/// Every command of the registry, for a bulk overwrite.
pub fn commands() -> Vec<CreateCommand> {
    commands_of(COMMANDS)
}

/// Every command of `registry` (the shipped one, or a test's own).
pub fn commands_of(registry: &[CommandSpec]) -> Vec<CreateCommand> {
    registry.iter().map(create_command).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn to_json(value: &impl serde::Serialize) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn allowed_mentions_parse_nothing() {
        let v = to_json(&no_mentions());
        assert_eq!(v["parse"], json!([]));
        assert_eq!(v["users"], json!([]));
        assert_eq!(v["roles"], json!([]));
        assert_eq!(v["replied_user"], json!(false));
    }

    #[test]
    fn a_reply_becomes_a_response_with_embeds_buttons_and_flags() {
        let reply = Reply {
            content: Some("hi".into()),
            embeds: vec![Embed {
                title: Some("T".into()),
                footer: Some("F".into()),
                colour: Some(0x123456),
                fields: vec![crate::bot::Field::new("n", "v")],
                ..Embed::default()
            }],
            rows: vec![vec![Button::new("fact:x", "X", ButtonStyle::Secondary)]],
            ephemeral: true,
            delivery: Delivery::NewMessage,
        };
        let v = to_json(&response(&reply));
        assert_eq!(v["type"], 4);
        let d = &v["data"];
        assert_eq!(d["content"], "hi");
        assert_eq!(d["flags"], 64);
        assert_eq!(d["embeds"][0]["title"], "T");
        assert_eq!(d["embeds"][0]["footer"]["text"], "F");
        assert_eq!(d["components"][0]["components"][0]["custom_id"], "fact:x");
        assert_eq!(d["allowed_mentions"]["parse"], json!([]));
        let update = Reply {
            delivery: Delivery::UpdateMessage,
            ..reply.clone()
        };
        assert_eq!(to_json(&response(&update))["type"], 7);
        assert_eq!(
            to_json(&deferral(Delivery::NewMessage, true))["data"]["flags"],
            64
        );
        assert_eq!(
            to_json(&edit(&reply))["allowed_mentions"]["parse"],
            json!([])
        );
    }

    #[test]
    fn a_new_registry_entry_is_registered_with_its_flags() {
        fn ping(_: &crate::bot::handlers::Call<'_>) -> Reply {
            Reply::text("pong")
        }
        let mut registry = COMMANDS.to_vec();
        registry.push(CommandSpec {
            name: "ping",
            description: "Answers pong",
            options: &[],
            admin_only: true,
            slow: false,
            handler: ping,
        });
        let all: Vec<Value> = commands_of(&registry).iter().map(to_json).collect();
        let ping = all.iter().find(|c| c["name"] == "ping").unwrap();
        assert_eq!(ping["description"], "Answers pong");
        assert_eq!(ping["default_member_permissions"], "32");
    }

    #[test]
    fn reload_is_registered_for_manage_server_only() {
        let all: Vec<Value> = commands().iter().map(to_json).collect();
        assert_eq!(all.len(), COMMANDS.len());
        let reload = all.iter().find(|c| c["name"] == "reload").unwrap();
        assert_eq!(reload["default_member_permissions"], "32");
        let ask = all.iter().find(|c| c["name"] == "ask").unwrap();
        assert_eq!(ask["options"][0]["name"], "question");
        assert_eq!(ask["options"][0]["required"], true);
        assert_eq!(ask["options"][1]["autocomplete"], true);
    }
}
