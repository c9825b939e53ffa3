//! Lowering what the Rust analysis found into the model: each client construction becomes a
//! [`ClientSite`] of the librdkafka library, with its role, protocol and settings. The analysis'
//! own types ([`Construction`], [`KeyState`], [`EnvRef`]) stay inside `crate::rust`.

use std::path::Path;

use crate::model::{
    ClientSite, EnvBinding, Library, Origin, Protocol, Role, SiteSetting, Span, State, Unseen,
    Written,
};
use crate::setting::Setting;

use super::{ClientKind, Construction, EnvRef, KeyState, Loc};

/// The site of one construction in the package at `package`.
pub(crate) fn site(c: Construction, package: &Path) -> ClientSite {
    // Assign-only (`assign()`ed, never `subscribe()`d): no group, whatever `group.id` says.
    let assign_only = c.assigned && !c.subscribed;
    let role = match (c.kind, c.config.get("group.id")) {
        (ClientKind::Producer, _) => Role::Producer,
        (ClientKind::Admin, _) => Role::Admin,
        (ClientKind::Other, _) => Role::NotAClient,
        (ClientKind::Consumer | ClientKind::Unknown, _) if assign_only => Role::Consumer,
        // Only consumers have a `group.id`.
        (ClientKind::Consumer | ClientKind::Unknown, KeyState::Set { .. }) => Role::GroupConsumer,
        // Something the tool cannot see may set it: a consumer of a group, maybe.
        (ClientKind::Consumer, KeyState::Unknown(_)) => Role::MaybeGroupConsumer,
        // A client of unknown type is a maybe-consumer only when its config is known to be
        // an rdkafka `ClientConfig` (built here, or keys set on it): `.create()` on a value
        // the tool knows nothing of (a factory, `OpenOptions`) is no evidence of a client.
        (ClientKind::Unknown, KeyState::Unknown(_))
            if c.config.origin.is_some() || !c.config.keys.is_empty() =>
        {
            Role::MaybeGroupConsumer
        }
        (ClientKind::Consumer, KeyState::Unset) => Role::Consumer,
        (ClientKind::Unknown, KeyState::Unknown(_) | KeyState::Unset) => Role::Unknown,
    };
    let protocol = match c.config.get("group.protocol") {
        KeyState::Set { value: Some(v), .. } if v.trim().eq_ignore_ascii_case("consumer") => {
            Protocol::Consumer
        }
        _ => Protocol::Classic,
    };
    let settings = c
        .config
        .entries()
        .map(|(key, state)| SiteSetting {
            key: key.to_owned(),
            setting: Setting::ALL
                .into_iter()
                .find(|s| s.rdkafka_key() == Some(key)),
            state: state_of(state),
        })
        .collect();
    ClientSite {
        library: Library::Librdkafka,
        origin: Origin::Code {
            at: span(&c.loc),
            type_name: c.type_name,
            config_start: c.config.origin.as_ref().map(span),
            package: package.to_path_buf(),
            created_in: c.created_in.map(|(inner, helper)| (span(&inner), helper)),
        },
        role,
        protocol,
        settings,
        unseen: c.config.unseen().map(unseen),
        is_test: false,
    }
}

fn state_of(state: &KeyState) -> State {
    match state {
        KeyState::Set {
            value,
            loc,
            key,
            env,
        } => State::Set(Written {
            text: value.clone(),
            key_span: span(key),
            value_span: span(loc),
            binding: env.as_ref().map(binding),
        }),
        KeyState::Unset => State::Unset,
        KeyState::Unknown(u) => State::Unknown(unseen(u)),
    }
}

fn span(loc: &Loc) -> Span {
    Span::new(loc.file, loc.span.clone())
}

fn unseen(u: &super::Unseen) -> Unseen {
    Unseen {
        reason: u.reason.clone(),
        at: span(&u.loc),
    }
}

fn binding(r: &EnvRef) -> EnvBinding {
    EnvBinding {
        key: r.key.clone(),
        prefixed: r.prefixed,
        default: r
            .default
            .as_ref()
            .map(|(text, loc)| (text.clone(), span(loc))),
        via: r.via.clone(),
    }
}
