//! The values the flow analysis tracks: a `ClientConfig` as a map from keys to their state,
//! and how configs combine when a helper edits one or two branches meet.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use crate::rust::bind::EnvRef;
use crate::source::FileId;

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Loc {
    pub file: FileId,
    pub span: Range<usize>,
}

/// Something the analysis could not see through, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Unseen {
    /// Completes "the tool cannot see ...": "the loop that sets keys from a map".
    pub reason: String,
    pub loc: Loc,
}

/// The state of one key of a config.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum KeyState {
    /// Set by `.set(key, value)`; `value` is the text when it is known.
    Set {
        value: Option<String>,
        /// The value expression.
        loc: Loc,
        /// The key expression (the first argument of `.set`).
        key: Loc,
        /// The env key the value is read from, when it is read from one.
        env: Option<EnvRef>,
    },
    /// Never set, or removed.
    Unset,
    /// Maybe set: something the tool cannot see could have set it.
    Unknown(Unseen),
}

/// What a config is built on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Base {
    /// `ClientConfig::new()` and friends.
    Fresh,
    /// The config a helper function received as its parameter number `n` (summaries only).
    Param(usize),
}

/// A tracked `ClientConfig` value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Config {
    pub(crate) base: Base,
    pub(crate) keys: BTreeMap<String, KeyState>,
    /// Once set, keys not in `keys` are unknown rather than unset.
    opaque: Option<Unseen>,
    /// Where the config starts (`ClientConfig::new()`).
    pub origin: Option<Loc>,
}

impl Config {
    pub(crate) fn fresh(origin: Loc) -> Config {
        Config {
            base: Base::Fresh,
            keys: BTreeMap::new(),
            opaque: None,
            origin: Some(origin),
        }
    }

    pub(crate) fn param(n: usize) -> Config {
        Config {
            base: Base::Param(n),
            keys: BTreeMap::new(),
            opaque: None,
            origin: None,
        }
    }

    pub(crate) fn opaque(unseen: Unseen) -> Config {
        Config {
            base: Base::Fresh,
            keys: BTreeMap::new(),
            opaque: Some(unseen),
            origin: None,
        }
    }

    /// The state of a key.
    pub(crate) fn get(&self, key: &str) -> KeyState {
        match (self.keys.get(key), &self.opaque) {
            (Some(state), _) => state.clone(),
            (None, Some(unseen)) => KeyState::Unknown(unseen.clone()),
            (None, None) => KeyState::Unset,
        }
    }

    /// Every key the config sets or removes, with its state, in key order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &KeyState)> {
        self.keys.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// What made keys unknown, if anything did.
    pub(crate) fn unseen(&self) -> Option<&Unseen> {
        self.opaque.as_ref()
    }

    pub(crate) fn make_opaque(&mut self, unseen: Unseen) {
        if self.opaque.is_none() {
            self.opaque = Some(unseen);
        }
    }

    /// `edits` (a helper's view of its parameter) applied on top of `self` (the argument).
    pub(crate) fn overlay(&self, edits: &Config) -> Config {
        let mut out = self.clone();
        for (key, state) in &edits.keys {
            out.keys.insert(key.clone(), state.clone());
        }
        if let Some(unseen) = &edits.opaque {
            out.make_opaque(unseen.clone());
        }
        out
    }

    /// The config after one of two branches ran.
    pub(crate) fn merge(&self, other: &Config, at: &Loc) -> Config {
        let mut out = self.clone();
        if out.opaque.is_none() {
            out.opaque.clone_from(&other.opaque);
        }
        let keys: HashSet<&String> = self.keys.keys().chain(other.keys.keys()).collect();
        for key in keys {
            let state = match (self.get(key), other.get(key)) {
                (a, b) if a == b => a,
                (
                    KeyState::Set {
                        value: a,
                        loc,
                        key,
                        env,
                    },
                    KeyState::Set { value: b, .. },
                ) => KeyState::Set {
                    value: if a == b { a } else { None },
                    loc,
                    key,
                    env,
                },
                (KeyState::Unknown(u), _) | (_, KeyState::Unknown(u)) => KeyState::Unknown(u),
                _ => KeyState::Unknown(Unseen {
                    reason: format!("which branch runs, and `{key}` is set on only one of them"),
                    loc: at.clone(),
                }),
            };
            out.keys.insert(key.clone(), state);
        }
        out
    }
}
