//! What the tool saw of each consumer: for every timeout, whether it is set, its value and
//! where the value comes from. Built once from the model, rendered by `--format json` (the
//! `consumers` array) and by `-v` (a table), so that users can see why a consumer was or was
//! not reported.

use std::ops::Range;

use crate::librdkafka;
use crate::model::{ClientSite, Library, Model, Origin, Role, State};
use crate::setting::Setting;
use crate::source::FileId;

/// One consumer construction.
#[derive(Debug, Clone)]
pub struct ConsumerView {
    pub file: FileId,
    pub span: Range<usize>,
    /// The created type as written (`StreamConsumer<Ctx>`), when known.
    pub type_name: Option<String>,
    /// For a client a helper creates (reported at the helper's call): the helper's name and
    /// the creating call inside it.
    pub created_in: Option<(String, FileId, Range<usize>)>,
    /// Whether it joins a consumer group.
    pub group: Membership,
    pub timeouts: Vec<TimeoutView>,
}

/// Whether a consumer joins a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// It sets `group.id` and is not only `assign()`ed: its timeouts are checked.
    Group,
    /// No `group.id`, or only `assign()`ed: no timeouts required.
    NoGroup,
    /// The tool cannot see its `group.id`, and why ("the tool cannot see ...").
    Unknown(String),
}

impl ConsumerView {
    /// Moves the view's file ids by `offset` ([`crate::source::Files::append`]).
    pub(crate) fn shift(&mut self, offset: u32) {
        self.file = self.file.shifted(offset);
        if let Some((_, file, _)) = &mut self.created_in {
            *file = file.shifted(offset);
        }
        for t in &mut self.timeouts {
            if let Some((file, _)) = &mut t.at {
                *file = file.shifted(offset);
            }
            for (file, _, _) in &mut t.env_files {
                *file = file.shifted(offset);
            }
        }
    }
}

/// One timeout of a consumer.
#[derive(Debug, Clone)]
pub struct TimeoutView {
    pub key: &'static str,
    pub state: &'static str,
    /// The value the code gives it, when known.
    pub value: Option<String>,
    /// `literal`, `constant`, `env`, `librdkafka default` or `unknown`.
    pub source: &'static str,
    pub at: Option<(FileId, Range<usize>)>,
    pub env_key: Option<String>,
    pub code_default: Option<String>,
    /// Each applicable env file that sets the env key, with its value.
    pub env_files: Vec<(FileId, Range<usize>, String)>,
    /// What the tool could not see through, for an unknown timeout.
    pub reason: Option<String>,
}

/// Every consumer created in code, in file order.
pub fn consumers(model: &Model) -> Vec<ConsumerView> {
    model
        .code_sites(Library::Librdkafka)
        .filter(|(_, site)| site.is_consumer())
        .filter_map(|(index, site)| view(model, index, site))
        .collect()
}

fn view(model: &Model, index: usize, site: &ClientSite) -> Option<ConsumerView> {
    let Origin::Code {
        at,
        type_name,
        created_in,
        ..
    } = &site.origin
    else {
        return None;
    };
    // As many as there are keys: a run with a hundred thousand consumers holds every view.
    let keys = Setting::ALL.into_iter().filter_map(Setting::rdkafka_key);
    let mut timeouts = Vec::with_capacity(keys.clone().count());
    timeouts.extend(keys.map(|key| timeout(model, index, site, key)));
    Some(ConsumerView {
        file: at.file,
        span: at.range.clone(),
        type_name: type_name.clone(),
        created_in: created_in
            .as_ref()
            .map(|(inner, helper)| (helper.clone(), inner.file, inner.range.clone())),
        group: match site.role {
            Role::GroupConsumer => Membership::Group,
            Role::MaybeGroupConsumer => match site.get("group.id") {
                State::Unknown(unseen) => {
                    Membership::Unknown(format!("the tool cannot see {}", unseen.reason))
                }
                _ => Membership::Unknown("the tool cannot see its `group.id`".into()),
            },
            _ => Membership::NoGroup,
        },
        timeouts,
    })
}

fn timeout(model: &Model, index: usize, site: &ClientSite, key: &'static str) -> TimeoutView {
    let mut view = TimeoutView {
        key,
        state: "unset",
        value: None,
        source: "librdkafka default",
        at: None,
        env_key: None,
        code_default: None,
        env_files: Vec::new(),
        reason: None,
    };
    match site.get(key) {
        State::Unset => view.value = librdkafka::default_value(key).map(|v| v.to_string()),
        State::Unknown(unseen) => {
            view.state = "unknown";
            view.source = "unknown";
            view.reason = Some(format!("the tool cannot see {}", unseen.reason));
        }
        State::Set(written) => {
            let loc = &written.value_span;
            view.state = "set";
            view.at = Some((loc.file, loc.range.clone()));
            if let Some(binding) = &written.binding {
                view.source = "env";
                view.env_key = Some(binding.key.clone());
                view.code_default = binding.default.as_ref().map(|(text, _)| text.clone());
                for file in model.env_files_for(index) {
                    if let Some(entry) = file.lookup(|k| binding.matches(k)) {
                        let e = &file.entries[entry];
                        view.env_files
                            .push((file.file, file.value_span(entry), e.value.clone()));
                    }
                }
            } else {
                let literal = model
                    .files
                    .get(loc.file)
                    .text
                    .get(loc.range.clone())
                    .is_some_and(is_literal);
                view.source = match (&written.text, literal) {
                    (Some(_), true) => "literal",
                    (Some(_), false) => "constant",
                    (None, _) => "unknown",
                };
                if written.text.is_none() {
                    view.reason = Some("a value the tool cannot evaluate".into());
                }
            }
            view.value = written.text;
        }
    }
    view
}

/// `"6000"`, `6000.to_string()`: the value is written where it is used.
fn is_literal(text: &str) -> bool {
    text.starts_with(|c: char| c == '"' || c.is_ascii_digit())
}

/// The `-v` table: one block per consumer, one line per timeout.
pub fn table(report: &super::Report) -> String {
    use std::fmt::Write as _;
    let files = &report.files;
    let mut out = String::new();
    for c in &report.consumer_views {
        let file = files.get(c.file);
        let at = file.line_col(c.span.start);
        let kind = c.type_name.as_deref().unwrap_or("consumer of unknown type");
        let group = match &c.group {
            Membership::Group => String::new(),
            Membership::NoGroup => " (not a group consumer: no timeouts required)".to_owned(),
            Membership::Unknown(reason) => format!(
                " (group unknown: {}; `group.id` may be set)",
                crate::text::escape_control(reason)
            ),
        };
        let helper = match &c.created_in {
            Some((name, inner_file, span)) => {
                let inner_file = files.get(*inner_file);
                let inner = inner_file.line_col(span.start);
                format!(
                    " (created inside `{name}` at {}:{}:{})",
                    report.paths.for_terminal(inner_file),
                    inner.line,
                    inner.column
                )
            }
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "consumer {kind} at {}:{}:{}{helper}{group}",
            report.paths.for_terminal(file),
            at.line,
            at.column
        );
        for t in &c.timeouts {
            let _ = writeln!(
                out,
                "  {:<22} {:<7} {}",
                t.key,
                t.state,
                describe(report, t)
            );
        }
    }
    out
}

fn describe(report: &super::Report, t: &TimeoutView) -> String {
    use std::fmt::Write as _;
    let value = t.value.as_deref().unwrap_or("?");
    match t.source {
        "env" => {
            let mut text = format!("from {}", t.env_key.as_deref().unwrap_or("?"));
            for (file, _, v) in &t.env_files {
                let _ = write!(
                    text,
                    "; {} sets {}",
                    report.paths.for_terminal(report.files.get(*file)),
                    crate::text::escape_control(v)
                );
            }
            match &t.code_default {
                Some(d) => {
                    let _ = write!(text, "; code default {d}");
                }
                None => text.push_str("; no code default"),
            }
            text
        }
        "unknown" => t.reason.clone().unwrap_or_default(),
        source => format!("{value} ({source})"),
    }
}
