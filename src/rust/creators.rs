//! Which functions of a crate create an rdkafka client, directly or through functions they
//! call: those are evaluated at their call sites (see [`super::flow`]).

use std::collections::{HashMap, HashSet};

use syn::Expr;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

use crate::rust::flow::{bare_name, key, select_arms};
use crate::rust::index::{CrateIndex, FnRef, MacroClient};

/// A call, by name and shape.
enum Call {
    Bare(String),
    Owned(String, String),
    Method(String),
}

/// What one function body does: create a client itself, and which functions it calls.
struct Scan<'i> {
    macros: &'i HashMap<String, MacroClient>,
    creates: bool,
    calls: Vec<Call>,
}

impl<'e> Visit<'e> for Scan<'_> {
    fn visit_macro(&mut self, m: &'e syn::Macro) {
        let name = m.path.segments.last().map(|s| s.ident.to_string());
        if name.is_some_and(|n| self.macros.contains_key(&n)) {
            self.creates = true;
        }
        // What the flow looks into: arguments that are expressions, `select!` arms.
        if let Ok(args) = m.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated) {
            args.iter().for_each(|a| self.visit_expr(a));
        } else if let Ok(arms) = m.parse_body_with(select_arms) {
            for arm in &arms {
                arm.future
                    .iter()
                    .chain(&arm.condition)
                    .for_each(|e| self.visit_expr(e));
                self.visit_expr(&arm.body);
            }
        }
    }
    fn visit_expr_method_call(&mut self, m: &'e syn::ExprMethodCall) {
        match m.method.to_string().as_str() {
            "create" if m.args.is_empty() => self.creates = true,
            "create_with_context" if m.args.len() == 1 => self.creates = true,
            name => self.calls.push(Call::Method(name.to_owned())),
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_call(&mut self, c: &'e syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match segments.as_slice() {
                [.., last]
                    if matches!(last.as_str(), "from_config" | "from_config_and_context") =>
                {
                    self.creates = true;
                }
                [name] => self.calls.push(Call::Bare(name.clone())),
                [.., owner, name] => self.calls.push(Call::Owned(owner.clone(), name.clone())),
                [] => {}
            }
        }
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_item(&mut self, _: &'e syn::Item) {}
}

/// The functions of a crate that create a client: directly (`.create()`,
/// `.create_with_context(ctx)`, `T::from_config(..)`), or by calling a function of the crate
/// that does. Calls are matched by name and shape, not resolved: `x.name()` matches methods,
/// `Type::name()` functions of that `impl` or of a module, `name()` free functions. Counting
/// one function too many costs only time (a creator is evaluated at its call sites).
pub(super) fn creators(index: &CrateIndex<'_>) -> HashSet<usize> {
    let fns: Vec<(FnRef<'_>, Scan<'_>)> = index
        .all_fns
        .iter()
        .map(|f| {
            let mut scan = Scan {
                macros: &index.creating_macros,
                creates: false,
                calls: Vec::new(),
            };
            scan.visit_block(f.block);
            (*f, scan)
        })
        .collect();
    let mut creators: HashSet<usize> = HashSet::new();
    let mut shapes: HashMap<String, Shapes> = HashMap::new();
    let mut found: Vec<FnRef<'_>> = fns
        .iter()
        .filter(|(_, scan)| scan.creates)
        .map(|(f, _)| *f)
        .collect();
    // Each round adds the functions that call one found in the rounds before.
    while !found.is_empty() {
        for f in found.drain(..) {
            creators.insert(key(f));
            shapes.entry(f.sig.ident.to_string()).or_default().add(f);
        }
        found = fns
            .iter()
            .filter(|(f, scan)| {
                !creators.contains(&key(*f))
                    && scan.calls.iter().any(|call| {
                        let name = match call {
                            Call::Bare(name) | Call::Method(name) | Call::Owned(_, name) => name,
                        };
                        shapes.get(name).is_some_and(|s| s.matches(call))
                    })
            })
            .map(|(f, _)| *f)
            .collect();
    }
    creators
}

/// The shapes of the creators of one name, as calls match them.
#[derive(Default)]
struct Shapes {
    /// One without `self`: `name()`, `module::name()`.
    free: bool,
    /// One taking `self`: `x.name()`.
    method: bool,
    /// One outside any `impl`: `module::name()`.
    module_fn: bool,
    /// The `Self` types of those in an `impl` (`Type::name()`; any for `Self::name()`), when
    /// there are some.
    owners: Option<HashSet<String>>,
}

impl Shapes {
    fn add(&mut self, f: FnRef<'_>) {
        if f.sig.receiver().is_some() {
            self.method = true;
        } else {
            self.free = true;
        }
        match f.self_ty {
            None => self.module_fn = true,
            Some(ty) => {
                self.owners.get_or_insert_default().extend(bare_name(ty));
            }
        }
    }

    fn matches(&self, call: &Call) -> bool {
        match call {
            Call::Bare(_) => self.free,
            Call::Method(_) => self.method,
            Call::Owned(owner, _) => {
                self.module_fn
                    || self
                        .owners
                        .as_ref()
                        .is_some_and(|o| owner == "Self" || o.contains(owner))
            }
        }
    }
}
