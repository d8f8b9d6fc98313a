//! What a handler returns: a message described in plain data (text, embeds, buttons,
//! visibility), which the Discord adapter turns into serenity builders. Nothing here knows
//! Discord's wire format; [`super::limits`] knows its size limits.

/// How a reply is delivered relative to the interaction that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delivery {
    /// A new message (the usual answer).
    #[default]
    NewMessage,
    /// Replace the message whose button was pressed (pagination).
    UpdateMessage,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    /// Rows of buttons, top to bottom.
    pub rows: Vec<Vec<Button>>,
    /// Only the person who asked sees it (interactions only; a channel message cannot be).
    pub ephemeral: bool,
    pub delivery: Delivery,
}

impl Reply {
    /// Every text of the reply with the process's secrets redacted
    /// ([`crate::secrets::redact`]): whatever a reply quotes, the token is not in it.
    pub fn redact_secrets(&mut self) {
        use crate::secrets::redact_in_place;
        if let Some(content) = &mut self.content {
            redact_in_place(content);
        }
        for embed in &mut self.embeds {
            for text in [&mut embed.title, &mut embed.description, &mut embed.footer]
                .into_iter()
                .flatten()
            {
                redact_in_place(text);
            }
            for field in &mut embed.fields {
                redact_in_place(&mut field.name);
                redact_in_place(&mut field.value);
            }
        }
        for button in self.rows.iter_mut().flatten() {
            redact_in_place(&mut button.label);
        }
    }

    pub fn text(content: impl Into<String>) -> Self {
        Reply {
            content: Some(content.into()),
            ..Reply::default()
        }
    }

    pub fn embed(embed: Embed) -> Self {
        Reply {
            embeds: vec![embed],
            ..Reply::default()
        }
    }

    pub fn ephemeral(mut self) -> Self {
        self.ephemeral = true;
        self
    }

    pub fn with_row(mut self, row: Vec<Button>) -> Self {
        if !row.is_empty() {
            self.rows.push(row);
        }
        self
    }

    /// Every button, row by row.
    pub fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.rows.iter().flatten()
    }

    /// Content, then each embed's title, description, fields and footer, one per line: what a
    /// reader sees, for tests and the text renderings in reports.
    pub fn plain_text(&self) -> String {
        let mut out: Vec<String> = self.content.iter().cloned().collect();
        for e in &self.embeds {
            out.extend(e.title.iter().cloned());
            out.extend(e.url.iter().map(|u| format!("<{u}>")));
            out.extend(e.description.iter().cloned());
            for f in &e.fields {
                out.push(format!("[{}]", f.name));
                out.push(f.value.clone());
            }
            out.extend(e.footer.iter().map(|f| format!("— {f}")));
        }
        for row in &self.rows {
            out.push(
                row.iter()
                    .map(|b| format!("[{} ⟨{}⟩]", b.label, b.custom_id))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if self.ephemeral {
            out.push("(only you can see this)".into());
        }
        out.join("\n")
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embed {
    pub title: Option<String>,
    /// Makes the title a link.
    pub url: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    /// 0xRRGGBB.
    pub colour: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Field {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Field {
            name: name.into(),
            value: value.into(),
            inline: false,
        }
    }

    pub fn inline(mut self) -> Self {
        self.inline = true;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// What the press sends back; see [`super::buttons`] for the formats.
    pub custom_id: String,
    pub label: String,
    pub style: ButtonStyle,
}

impl Button {
    pub fn new(custom_id: impl Into<String>, label: impl Into<String>, style: ButtonStyle) -> Self {
        Button {
            custom_id: custom_id.into(),
            label: label.into(),
            style,
        }
    }
}

/// One autocomplete suggestion: `name` is shown, `value` is what the option receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: String,
    pub value: String,
}
