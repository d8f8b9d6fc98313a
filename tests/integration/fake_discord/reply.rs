//! What the user would see in answer to an interaction, independent of *how* the bot produced
//! it (immediate response vs. defer + edit), so tests assert on behaviour, not mechanics.

use serde_json::Value;

use super::recorder::RecordedRequest;

/// Interaction callback types (Discord's `InteractionCallbackType`).
pub mod callback {
    pub const PONG: u64 = 1;
    pub const CHANNEL_MESSAGE_WITH_SOURCE: u64 = 4;
    pub const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: u64 = 5;
    pub const DEFERRED_UPDATE_MESSAGE: u64 = 6;
    pub const UPDATE_MESSAGE: u64 = 7;
    pub const AUTOCOMPLETE_RESULT: u64 = 8;
    pub const MODAL: u64 = 9;
}

/// Message flag EPHEMERAL.
pub const EPHEMERAL: u64 = 1 << 6;

/// The bot's visible reply to one interaction.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Type of the initial callback (4, 5, 6, 7, 8 or 9).
    pub callback_type: u64,
    /// `true` if the callback was 5/6 and the content came from a later edit/follow-up.
    pub deferred: bool,
    /// The message-ish JSON the content came from: callback `data`, or the edit/follow-up body.
    pub raw: Value,
    /// Message flags. For deferred replies this ORs the defer's flags (where Discord decides
    /// ephemerality) with the edit's.
    pub flags: u64,
    pub content: Option<String>,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub allowed_mentions: Option<Value>,
    /// Autocomplete choices (callback type 8).
    pub choices: Vec<Value>,
    /// The initial callback request.
    pub callback: RecordedRequest,
    /// The request that carried the content when deferred (PATCH @original or follow-up POST).
    pub edit: Option<RecordedRequest>,
}

impl Reply {
    pub(crate) fn new(callback: RecordedRequest, edit: Option<RecordedRequest>) -> Self {
        let callback_type = callback.body["type"].as_u64().unwrap_or(0);
        let callback_data = callback.body["data"].clone();
        let callback_flags = callback_data["flags"].as_u64().unwrap_or(0);
        let raw = edit
            .as_ref()
            .map_or_else(|| callback_data.clone(), |e| e.body.clone());
        let flags = callback_flags | raw["flags"].as_u64().unwrap_or(0);
        let array = |key: &str| raw[key].as_array().cloned().unwrap_or_default();
        Self {
            callback_type,
            deferred: edit.is_some(),
            flags,
            content: raw["content"].as_str().map(str::to_string),
            embeds: array("embeds"),
            components: array("components"),
            allowed_mentions: raw
                .get("allowed_mentions")
                .filter(|v| !v.is_null())
                .cloned(),
            choices: array("choices"),
            raw,
            callback,
            edit,
        }
    }

    /// Only the invoker can see it.
    pub fn is_ephemeral(&self) -> bool {
        self.flags & EPHEMERAL != 0
    }

    /// Content plus every embed's title, description, field names/values and footer, joined by
    /// newlines: handy for "the answer mentions X" assertions regardless of layout.
    pub fn text(&self) -> String {
        let mut parts: Vec<&str> = self.content.iter().map(String::as_str).collect();
        for e in &self.embeds {
            for key in ["title", "description"] {
                parts.extend(e[key].as_str());
            }
            for f in e["fields"].as_array().into_iter().flatten() {
                parts.extend(f["name"].as_str());
                parts.extend(f["value"].as_str());
            }
            parts.extend(e["footer"]["text"].as_str());
        }
        parts.join("\n")
    }

    /// Autocomplete choice names, in order.
    pub fn choice_names(&self) -> Vec<String> {
        self.choices
            .iter()
            .filter_map(|c| c["name"].as_str().map(str::to_string))
            .collect()
    }

    /// All `custom_id`s of components (buttons, selects) in the reply, in order.
    pub fn custom_ids(&self) -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            if let Some(id) = v["custom_id"].as_str() {
                out.push(id.to_string());
            }
            for c in v["components"].as_array().into_iter().flatten() {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        for c in &self.components {
            walk(c, &mut out);
        }
        out
    }
}
