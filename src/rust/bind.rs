//! Values that come from the environment: `std::env::var("K")` and friends, and fields of
//! settings structs whose names follow the conventions of envy, config, figment and clap's
//! `env`. A literal fallback (`unwrap_or("6000")`, `#[serde(default = ..)]`, a `Default`
//! impl) is the *code default*: the value used when no env file sets the key.

use syn::{Expr, Lit};

use crate::rust::config::Loc;
use crate::rust::eval::{Value, eval};
use crate::rust::index::CrateIndex;
use crate::rust::types;

/// An env key a value is read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct EnvRef {
    /// The key named in code, or the upper-cased field name.
    pub key: String,
    /// Whether the key also matches with a prefix (`APP_` + key), as settings-struct fields do
    /// (`envy::prefixed`, `config::Environment::with_prefix`).
    pub prefixed: bool,
    /// The code default and where it is written.
    pub default: Option<(String, Loc)>,
    /// How the code reads it, for messages: "`std::env::var`", "the field `session_ms`".
    pub via: String,
}

/// Where expressions of one file are evaluated.
pub(crate) struct Cx<'i, 'a> {
    pub index: &'i CrateIndex<'a>,
    pub unit: usize,
}

impl Cx<'_, '_> {
    fn loc(&self, expr: &Expr) -> Loc {
        use syn::spanned::Spanned;
        let unit = &self.index.units[self.unit];
        Loc {
            file: unit.file,
            span: unit.parsed.range(expr.span()),
        }
    }

    fn default_of(&self, expr: &Expr) -> Option<(String, Loc)> {
        Some((eval(self.index, expr)?.into_text(), self.loc(expr)))
    }
}

/// Adapters that keep the value they wrap.
const KEEPS: [&str; 16] = [
    "unwrap",
    "expect",
    "ok",
    "to_string",
    "as_str",
    "as_ref",
    "into",
    "to_owned",
    "clone",
    "parse",
    "unwrap_or_default",
    "context",
    "with_context",
    "map_err",
    "into_string",
    "to_str",
];

/// The env key `expr` reads, if it reads one; `local` resolves local bindings.
pub(crate) fn env_ref(
    cx: &Cx<'_, '_>,
    expr: &Expr,
    local: &dyn Fn(&str) -> Option<EnvRef>,
) -> Option<EnvRef> {
    match expr {
        Expr::Reference(r) => env_ref(cx, &r.expr, local),
        Expr::Paren(p) => env_ref(cx, &p.expr, local),
        Expr::Group(g) => env_ref(cx, &g.expr, local),
        Expr::Try(t) => env_ref(cx, &t.expr, local),
        Expr::Await(a) => env_ref(cx, &a.base, local),
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            match name.as_str() {
                "unwrap_or" => {
                    let mut r = env_ref(cx, &m.receiver, local)?;
                    r.default = m.args.first().and_then(|d| cx.default_of(d)).or(r.default);
                    Some(r)
                }
                "unwrap_or_else" => {
                    let mut r = env_ref(cx, &m.receiver, local)?;
                    if let Some(Expr::Closure(c)) = m.args.first() {
                        r.default = cx.default_of(&c.body).or(r.default);
                    }
                    Some(r)
                }
                _ if KEEPS.contains(&name.as_str()) => env_ref(cx, &m.receiver, local),
                _ => None,
            }
        }
        Expr::Call(c) => env_call(cx, c),
        Expr::Macro(m) => env_macro(cx, &m.mac, local),
        Expr::Field(f) => match &f.member {
            syn::Member::Named(name) => field_ref(cx, &name.to_string()),
            syn::Member::Unnamed(_) => None,
        },
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            local(&p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

/// `std::env::var("K")`, `env::var_os("K")`, `dotenvy::var("K")`, `var("K")` imported from one.
fn env_call(cx: &Cx<'_, '_>, c: &syn::ExprCall) -> Option<EnvRef> {
    let Expr::Path(p) = &*c.func else { return None };
    let mut path = types::segments(&p.path);
    if let [only] = path.as_slice() {
        path = cx.index.units[cx.unit]
            .uses
            .get(only)
            .cloned()
            .unwrap_or(path);
    }
    let (last, owner) = path.split_last()?;
    let reads_env = matches!(last.as_str(), "var" | "var_os")
        && owner
            .last()
            .is_some_and(|o| matches!(o.as_str(), "env" | "dotenvy" | "dotenv"));
    if !reads_env {
        return None;
    }
    let key = crate::rust::eval::eval_text(cx.index, c.args.first()?)?;
    Some(EnvRef {
        key,
        prefixed: false,
        default: None,
        via: format!("`{}::{last}`", owner.join("::")),
    })
}

/// `env!("K")`, `option_env!("K")`, and `format!("{}", x)` around a read.
fn env_macro(
    cx: &Cx<'_, '_>,
    mac: &syn::Macro,
    local: &dyn Fn(&str) -> Option<EnvRef>,
) -> Option<EnvRef> {
    let name = mac.path.segments.last()?.ident.to_string();
    let args = mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    match name.as_str() {
        "env" | "option_env" => {
            let key = crate::rust::eval::eval_text(cx.index, args.first()?)?;
            Some(EnvRef {
                key,
                prefixed: false,
                default: None,
                via: format!("`{name}!`"),
            })
        }
        "format" if args.len() == 2 => env_ref(cx, &args[1], local),
        _ => None,
    }
}

/// The field of that name the crate defines first (in the file that does, parsed or not).
fn first_field<'i, 'a>(
    index: &'i CrateIndex<'a>,
    name: &str,
) -> Option<&'i (usize, String, &'a syn::Field)> {
    let found = index.fields_by_name.get(name)?;
    match index.field_files.get(name) {
        Some(file) => found
            .iter()
            .find(|(unit, _, _)| index.units.get(*unit).is_some_and(|u| u.file == *file)),
        None => found.first(),
    }
}

/// A settings-struct field read by name: its env key from attributes or the convention, and
/// its code default.
fn field_ref(cx: &Cx<'_, '_>, name: &str) -> Option<EnvRef> {
    let (unit, owner, field) = first_field(cx.index, name)?;
    // A field names an env key only when something reads it from the environment: an env
    // attribute on it, or an env loader in the crate (a struct read from YAML or TOML
    // invents no env keys).
    let env_attr = field.attrs.iter().any(|attr| {
        let path = attr.path();
        if path.is_ident("envconfig") {
            return true;
        }
        if !(path.is_ident("arg") || path.is_ident("clap")) {
            return false;
        }
        let mut env = false;
        let _ = attr.parse_nested_meta(|meta| {
            env |= meta.path.is_ident("env");
            if meta.input.peek(syn::Token![=]) {
                let _: Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        env
    });
    if !cx.index.loads_env && !env_attr {
        return None;
    }
    let field_cx = Cx {
        index: cx.index,
        unit: *unit,
    };
    let mut r = EnvRef {
        key: name.to_ascii_uppercase(),
        prefixed: true,
        default: None,
        via: format!("the field `{owner}::{name}`"),
    };
    for attr in &field.attrs {
        let Some(kind) = attr.path().get_ident().map(ToString::to_string) else {
            continue;
        };
        if !matches!(kind.as_str(), "serde" | "envconfig" | "arg" | "clap") {
            continue;
        }
        let _ = attr.parse_nested_meta(|meta| {
            let ident = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match (kind.as_str(), ident.as_str()) {
                ("serde", "rename") => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    r.key = lit.value().to_ascii_uppercase();
                }
                ("envconfig", "from") | ("arg" | "clap", "env") => {
                    if meta.input.peek(syn::Token![=]) {
                        let lit: syn::LitStr = meta.value()?.parse()?;
                        r.key = lit.value();
                    }
                    r.prefixed = false;
                }
                ("serde", "default") if meta.input.peek(syn::Token![=]) => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    let function = lit
                        .value()
                        .rsplit("::")
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    r.default = fn_default(cx.index, &function).or(r.default.take());
                }
                ("envconfig", "default") | ("arg" | "clap", "default_value") => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    let expr = Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: Lit::Str(lit),
                    });
                    r.default = field_cx.default_of(&expr);
                }
                ("arg" | "clap", "default_value_t") => {
                    let expr: Expr = meta.value()?.parse()?;
                    r.default = field_cx.default_of(&expr);
                }
                _ => skip(&meta)?,
            }
            Ok(())
        });
    }
    if r.default.is_none() {
        if let Some((unit, expr)) = cx
            .index
            .field_defaults
            .get(&(owner.clone(), name.to_owned()))
        {
            r.default = Cx {
                index: cx.index,
                unit: *unit,
            }
            .default_of(expr);
        }
    }
    Some(r)
}

/// Skips an attribute argument this module does not read (`skip_serializing_if = "..."`,
/// `long`, `value_parser(...)`).
fn skip(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip(&inner))?;
    }
    Ok(())
}

/// The literal a default function returns: `fn default_session() -> u64 { 6000 }`.
fn fn_default(index: &CrateIndex<'_>, function: &str) -> Option<(String, Loc)> {
    let f = index.fns.get(function)?.first()?;
    let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last() else {
        return None;
    };
    let value = match eval(index, tail)? {
        Value::Str(s) => s,
        Value::Int(i) => i.to_string(),
    };
    Some((
        value,
        Cx {
            index,
            unit: f.unit,
        }
        .loc(tail),
    ))
}
