//! Values of expressions that reach `ClientConfig::set`: literals, integers turned into
//! strings, constants of the crate and simple arithmetic. Anything else is unknown.

use syn::{BinOp, Expr, Lit};

use crate::rust::index::CrateIndex;

/// How deep constants may refer to other constants.
const MAX_DEPTH: usize = 16;

/// A compile-time value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Str(String),
    Int(i128),
}

impl Value {
    /// The text `ClientConfig::set` would receive.
    pub(crate) fn into_text(self) -> String {
        match self {
            Value::Str(s) => s,
            Value::Int(i) => i.to_string(),
        }
    }
}

/// Evaluates `expr` as far as the crate's constants allow.
pub(crate) fn eval(index: &CrateIndex<'_>, expr: &Expr) -> Option<Value> {
    eval_at(index, expr, 0)
}

/// The string an expression passed as a key or value holds, when it is known.
pub(crate) fn eval_text(index: &CrateIndex<'_>, expr: &Expr) -> Option<String> {
    match eval(index, expr)? {
        Value::Str(s) => Some(s),
        // An integer is not `Into<String>`: only `.to_string()` and friends (handled in
        // `eval_at`) turn one into text, so a bare integer here is not a value we understand.
        Value::Int(_) => None,
    }
}

fn eval_at(index: &CrateIndex<'_>, expr: &Expr, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let next = |e: &Expr| eval_at(index, e, depth + 1);
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(Value::Str(s.value())),
            Lit::Int(i) => i.base10_parse::<i128>().ok().map(Value::Int),
            _ => None,
        },
        Expr::Paren(p) => next(&p.expr),
        Expr::Group(g) => next(&g.expr),
        Expr::Reference(r) => next(&r.expr),
        Expr::Cast(c) => next(&c.expr),
        Expr::Unary(u) => match (&u.op, next(&u.expr)?) {
            (syn::UnOp::Neg(_), Value::Int(i)) => Some(Value::Int(-i)),
            (syn::UnOp::Deref(_), v) => Some(v),
            _ => None,
        },
        Expr::Binary(b) => {
            let (Value::Int(l), Value::Int(r)) = (next(&b.left)?, next(&b.right)?) else {
                return None;
            };
            match b.op {
                BinOp::Add(_) => l.checked_add(r),
                BinOp::Sub(_) => l.checked_sub(r),
                BinOp::Mul(_) => l.checked_mul(r),
                BinOp::Div(_) => l.checked_div(r),
                _ => None,
            }
            .map(Value::Int)
        }
        Expr::Path(p) if p.qself.is_none() => {
            let name = p.path.segments.last()?.ident.to_string();
            let (_, expr) = index.consts.get(&name)?;
            next(expr)
        }
        Expr::MethodCall(m) => method(index, m, depth),
        Expr::Call(c) => call(index, c, depth),
        Expr::Macro(m) => format_macro(index, &m.mac, depth),
        _ => None,
    }
}

/// `x.to_string()`, `"x".into()`, `Duration::from_secs(6).as_millis()`, ...
fn method(index: &CrateIndex<'_>, m: &syn::ExprMethodCall, depth: usize) -> Option<Value> {
    let inner = eval_at(index, &m.receiver, depth + 1);
    match m.method.to_string().as_str() {
        "to_string" | "to_owned" | "into" | "as_str" | "as_ref" | "clone" | "unwrap" => {
            inner.map(|v| match v {
                Value::Int(i) if m.method == "to_string" => Value::Str(i.to_string()),
                v => v,
            })
        }
        "as_millis" => duration_millis(index, &m.receiver, depth).map(Value::Int),
        "as_secs" => duration_millis(index, &m.receiver, depth).map(|ms| Value::Int(ms / 1000)),
        _ => None,
    }
}

/// `String::from("6000")`, `u64::from(6000u32)`.
fn call(index: &CrateIndex<'_>, c: &syn::ExprCall, depth: usize) -> Option<Value> {
    let Expr::Path(p) = &*c.func else { return None };
    let last = p.path.segments.last()?.ident.to_string();
    if matches!(last.as_str(), "from" | "new") && c.args.len() == 1 {
        let owner = p.path.segments.iter().rev().nth(1)?.ident.to_string();
        if matches!(
            owner.as_str(),
            "String" | "u64" | "u32" | "i64" | "i32" | "usize" | "Cow"
        ) {
            return eval_at(index, &c.args[0], depth + 1);
        }
    }
    None
}

/// `Duration::from_secs(6)` in milliseconds.
fn duration_millis(index: &CrateIndex<'_>, expr: &Expr, depth: usize) -> Option<i128> {
    let Expr::Call(c) = expr else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    let ctor = p.path.segments.last()?.ident.to_string();
    let Some(Value::Int(n)) = eval_at(index, c.args.first()?, depth + 1) else {
        return None;
    };
    match ctor.as_str() {
        "from_millis" => Some(n),
        "from_secs" => n.checked_mul(1000),
        "from_micros" => Some(n / 1000),
        _ => None,
    }
}

/// `format!("{}", 6000)` and `format!("{TIMEOUT}")` with a single placeholder.
fn format_macro(index: &CrateIndex<'_>, mac: &syn::Macro, depth: usize) -> Option<Value> {
    if !mac.path.is_ident("format") {
        return None;
    }
    let args = mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut args = args.iter();
    let Some(Expr::Lit(syn::ExprLit {
        lit: Lit::Str(fmt), ..
    })) = args.next()
    else {
        return None;
    };
    let fmt = fmt.value();
    let (before, rest) = fmt.split_once('{')?;
    let (inside, after) = rest.split_once('}')?;
    if before.contains(['{', '}']) || after.contains(['{', '}']) {
        return None;
    }
    let value = if inside.is_empty() {
        eval_at(index, args.next()?, depth + 1)?
    } else {
        let (_, expr) = index.consts.get(inside)?;
        eval_at(index, expr, depth + 1)?
    };
    Some(Value::Str(format!("{before}{}{after}", value.into_text())))
}
