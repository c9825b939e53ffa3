//! What a type or a path names: an rdkafka client (consumer, producer, admin), the rdkafka
//! `ClientConfig`, or something else. Names are resolved through the file's `use` items, the
//! crate's type aliases and its own items, so that a crate's own `StreamConsumer` trait is
//! not mistaken for rdkafka's, while `type LoggingConsumer = StreamConsumer<Ctx>` is.

use syn::{GenericArgument, PathArguments, Type};

use crate::rust::index::CrateIndex;

/// How deep aliases may refer to other aliases.
const MAX_DEPTH: usize = 8;

/// The kind of client a construction creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum ClientKind {
    /// `BaseConsumer` or `StreamConsumer`.
    Consumer,
    /// `FutureProducer`, `BaseProducer` or `ThreadedProducer`.
    Producer,
    /// `AdminClient`.
    Admin,
    /// A type that is not an rdkafka client (a crate's own type of the same name included).
    Other,
    /// Not visible (`_`, an inferred type, a type from another crate).
    Unknown,
}

/// Wrappers whose first type argument is what a function really returns or stores.
const WRAPPERS: [&str; 15] = [
    "Result",
    "KafkaResult",
    "Option",
    "Arc",
    "Box",
    "Rc",
    "Mutex",
    "RwLock",
    "Pin",
    "Cow",
    "LazyLock",
    "LazyCell",
    "Lazy",
    "OnceLock",
    "OnceCell",
];

/// Whether a type named `name` wraps what a function really returns: the wrappers above, and
/// any `Result` alias (`AppResult<T>`, `anyhow::Result<T>`, `PyResult<T>`, `io::Result<T>`),
/// whose first type argument is the success type by convention.
pub(crate) fn is_wrapper(name: &str) -> bool {
    WRAPPERS.contains(&name) || name.ends_with("Result")
}

/// The type a wrapper holds, through any number of wrappers and references:
/// `KafkaResult<Arc<StreamConsumer>>` is `StreamConsumer`.
pub(crate) fn unwrapped(ty: &Type) -> &Type {
    let mut ty = peel(ty);
    for _ in 0..MAX_DEPTH {
        let Type::Path(p) = ty else { break };
        let Some(last) = p.path.segments.last() else {
            break;
        };
        match first_type_argument(last) {
            Some(inner) if is_wrapper(&last.ident.to_string()) => ty = peel(inner),
            _ => break,
        }
    }
    ty
}

/// Classifies a type written in file `unit`.
pub(crate) fn classify(index: &CrateIndex<'_>, unit: usize, ty: &Type) -> ClientKind {
    classify_at(index, unit, ty, 0, None)
}

fn classify_at(
    index: &CrateIndex<'_>,
    unit: usize,
    ty: &Type,
    depth: usize,
    alias: Option<&str>,
) -> ClientKind {
    if depth > MAX_DEPTH {
        return ClientKind::Unknown;
    }
    match peel(ty) {
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last();
            let name = last.map(|s| s.ident.to_string()).unwrap_or_default();
            if is_wrapper(&name) {
                if let Some(inner) = last.and_then(first_type_argument) {
                    return classify_at(index, unit, inner, depth + 1, alias);
                }
            }
            let segments = segments(&p.path);
            classify_path(index, unit, &segments, depth, alias)
        }
        _ => ClientKind::Unknown,
    }
}

/// A path's segments as strings: `rdkafka::config::ClientConfig` → three.
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The type under references, parentheses and invisible groups: `&mut (T)` is `T`.
pub(crate) fn peel(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => peel(&r.elem),
        Type::Paren(p) => peel(&p.elem),
        Type::Group(g) => peel(&g.elem),
        other => other,
    }
}

/// The first type argument of a path segment (`T` of `Result<T, E>`).
pub(crate) fn first_type_argument(segment: &syn::PathSegment) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn classify_path(
    index: &CrateIndex<'_>,
    unit: usize,
    segments: &[String],
    depth: usize,
    alias: Option<&str>,
) -> ClientKind {
    match segments {
        [] => ClientKind::Unknown,
        [name] => {
            if let Some(full) = index.units[unit].uses.get(name) {
                return classify_full(index, full, depth, alias);
            }
            local_or_rdkafka(index, name, depth, alias)
        }
        _ => classify_full(index, &expand(index, unit, segments), depth, alias),
    }
}

/// Replaces a path's first segment by what the file's `use` items import under that name.
fn expand(index: &CrateIndex<'_>, unit: usize, segments: &[String]) -> Vec<String> {
    index.units[unit].expand(segments)
}

fn classify_full(
    index: &CrateIndex<'_>,
    full: &[String],
    depth: usize,
    alias: Option<&str>,
) -> ClientKind {
    let (Some(first), Some(last)) = (full.first(), full.last()) else {
        return ClientKind::Unknown;
    };
    match first.as_str() {
        "crate" | "self" | "super" => local_or_rdkafka(index, last, depth, alias),
        "rdkafka" => by_name(last),
        _ => ClientKind::Unknown,
    }
}

/// A name that no `use` resolves: the crate's alias or item of that name, else rdkafka's (a
/// glob import), else unknown.
fn local_or_rdkafka(
    index: &CrateIndex<'_>,
    name: &str,
    depth: usize,
    alias: Option<&str>,
) -> ClientKind {
    if alias != Some(name) {
        if let Some((unit, ty)) = index.aliases.get(name) {
            return classify_at(index, *unit, ty, depth + 1, Some(name));
        }
    }
    if index.local_types.contains(name) {
        return ClientKind::Other;
    }
    by_name(name)
}

fn by_name(name: &str) -> ClientKind {
    match name {
        "BaseConsumer" | "StreamConsumer" => ClientKind::Consumer,
        "FutureProducer" | "BaseProducer" | "ThreadedProducer" => ClientKind::Producer,
        "AdminClient" => ClientKind::Admin,
        _ => ClientKind::Unknown,
    }
}

/// Classifies a path written as segments (the owner of `T::from_config`).
pub(crate) fn classify_segments(
    index: &CrateIndex<'_>,
    unit: usize,
    segments: &[String],
) -> ClientKind {
    classify_path(index, unit, segments, 0, None)
}

/// Whether a type path names an item of a crate other than rdkafka and this one
/// (`vector_lib::tls::TlsSettings`, or `TlsSettings` imported from there): no rdkafka client.
pub(crate) fn names_foreign(index: &CrateIndex<'_>, unit: usize, segments: &[String]) -> bool {
    let imported = segments
        .first()
        .is_some_and(|first| index.units[unit].uses.contains_key(first));
    if segments.len() < 2 && !imported {
        return false;
    }
    let full = expand(index, unit, segments);
    full.first().is_some_and(|first| {
        !matches!(
            first.as_str(),
            "rdkafka" | "crate" | "self" | "super" | "Self"
        ) && !index.local_types.contains(first)
            && !index.aliases.contains_key(first)
    })
}

/// Whether `segments` (a type path, or a constructor path without its last segment) names
/// rdkafka's `ClientConfig`.
pub(crate) fn names_client_config(
    index: &CrateIndex<'_>,
    unit: usize,
    segments: &[String],
) -> bool {
    match segments {
        [name] => match index.units[unit].uses.get(name) {
            Some(full) => {
                full.last().is_some_and(|l| l == "ClientConfig")
                    && full.first().is_some_and(|f| f == "rdkafka")
            }
            None => name == "ClientConfig" && !index.local_types.contains(name),
        },
        [_, _, ..] => {
            let full = expand(index, unit, segments);
            full.last().is_some_and(|l| l == "ClientConfig")
                && full.first().is_some_and(|f| f == "rdkafka")
        }
        [] => false,
    }
}

/// Whether a type is `ClientConfig`, `&ClientConfig` or `&mut ClientConfig`, also inside
/// `Result`, `Option` and similar wrappers.
pub(crate) fn is_client_config(index: &CrateIndex<'_>, unit: usize, ty: &Type) -> bool {
    match peel(ty) {
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            if is_wrapper(&last.ident.to_string()) {
                return first_type_argument(last).is_some_and(|t| is_client_config(index, unit, t));
            }
            let segments = segments(&p.path);
            names_client_config(index, unit, &segments)
        }
        _ => false,
    }
}
