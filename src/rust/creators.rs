//! Which functions of a crate create an rdkafka client, directly or through functions they
//! call: those are evaluated at their call sites (see [`super::flow`]).

use std::collections::{HashMap, HashSet};

use syn::Expr;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

use crate::rust::flow::{bare_name, key, select_arms};
use crate::rust::index::{CrateIndex, FnRef, MacroClient};
use crate::rust::types::{self, ClientKind};
use crate::source::FileId;

/// A call, by name and shape.
#[derive(Clone)]
enum Call {
    Bare(String),
    /// `Owner::name()`, with `Self` replaced by the caller's `impl` type.
    Owned(String, String),
    /// `x.name()`; `true` for `self.name()`.
    Method(String, bool),
}

/// What one function body does: create a client itself, and which functions it calls.
struct Scan<'i, 'a> {
    index: &'i CrateIndex<'a>,
    unit: usize,
    /// The `Self` type of the scanned function's `impl`, by name.
    owner: Option<String>,
    macros: &'i HashMap<String, MacroClient>,
    creates: bool,
    /// `X::from_config(..)` of a type that is no rdkafka client by its name (a crate's
    /// re-export, `TlsSettings`): a creation when the function also names `ClientConfig`.
    unsure: bool,
    /// The function names rdkafka's `ClientConfig` (or an alias of it).
    names_config: bool,
    /// The names `ClientConfig` may go by in the function's file: itself, `use` renames and
    /// the crate's aliases.
    config_names: &'i [String],
    calls: Vec<Call>,
}

impl<'e> Visit<'e> for Scan<'_, '_> {
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
            name => {
                let on_self = matches!(&*m.receiver, Expr::Path(p) if p.path.is_ident("self"));
                self.calls.push(Call::Method(name.to_owned(), on_self));
            }
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
                [owner @ .., last]
                    if matches!(last.as_str(), "from_config" | "from_config_and_context") =>
                {
                    // `TlsSettings::from_config(..)` of another crate creates no client.
                    if !types::names_foreign(self.index, self.unit, owner) {
                        let kind = types::classify_segments(self.index, self.unit, owner);
                        let generic = matches!(owner, [one] if one.len() <= 2 || one == "Self");
                        if kind == ClientKind::Unknown && !generic {
                            self.unsure = true;
                        } else {
                            self.creates |= kind != ClientKind::Other;
                        }
                    }
                }
                [name] => self.calls.push(Call::Bare(name.clone())),
                [.., owner, name] => {
                    let owner = match (owner.as_str(), &self.owner) {
                        ("Self", Some(own)) => own.clone(),
                        _ => owner.clone(),
                    };
                    self.calls.push(Call::Owned(owner, name.clone()));
                }
                [] => {}
            }
        }
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_path(&mut self, p: &'e syn::Path) {
        // Only a path ending in a name the config goes by can name it (checked without
        // allocating: every variable read is a path).
        let candidate = !self.names_config
            && p.segments
                .last()
                .is_some_and(|last| self.config_names.iter().any(|n| last.ident == n));
        if candidate {
            let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.names_config |= types::names_client_config(self.index, self.unit, &segments)
                || matches!(segments.as_slice(), [one] if self.index.aliases.get(one).is_some_and(
                    |(unit, ty)| types::is_client_config(self.index, *unit, ty)));
        }
        syn::visit::visit_path(self, p);
    }
    fn visit_item(&mut self, _: &'e syn::Item) {}
}

/// The functions of a crate that create a client: directly (`.create()`,
/// `.create_with_context(ctx)`, `T::from_config(..)` where `T` is not an item of another
/// crate than rdkafka), or by calling a function of the crate
/// that does. Calls are matched by name and shape, not resolved: `x.name()` matches methods,
/// `Type::name()` functions of that `impl` or of a module, `name()` free functions. Counting
/// one function too many costs only time (a creator is evaluated at its call sites).
pub(super) fn creators(index: &CrateIndex<'_>, memo: &mut ScanMemo<'_>) -> HashSet<usize> {
    memo.refresh(index);
    let fns: Vec<(FnRef<'_>, &Scanned)> = index
        .all_fns
        .iter()
        .zip(memo.scanned(index))
        .map(|(f, scan)| (*f, scan))
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
                let owner = f.self_ty.and_then(bare_name);
                !creators.contains(&key(*f))
                    && scan.calls.iter().any(|call| {
                        let name = match call {
                            Call::Bare(name) | Call::Method(name, _) | Call::Owned(_, name) => name,
                        };
                        let methods = index.method_counts.get(name).copied().unwrap_or(0);
                        // A bare `name()` calls the caller's own module's `name` when it
                        // has one (as `flow::Flow::helper` resolves it).
                        let own = matches!(call, Call::Bare(_))
                            && index.fns.get(name).into_iter().flatten().any(|g| {
                                g.unit == f.unit
                                    && g.inline_mod == f.inline_mod
                                    && g.self_ty.is_none()
                                    && !creators.contains(&key(*g))
                            });
                        !own && shapes
                            .get(name)
                            .is_some_and(|s| s.matches(call, owner.as_deref(), methods))
                    })
            })
            .map(|(f, _)| *f)
            .collect();
    }
    creators
}

/// What scanning one function found, owned so that it outlives the index it was found in.
struct Scanned {
    creates: bool,
    calls: Vec<Call>,
}

/// The scans of the functions of each file, kept across the rounds of the prefilter (each
/// round indexes more files; the files scanned before are not scanned again) and for the
/// analysis after them. A scan depends on the file itself and on what the crate's parsed
/// files define together: its type aliases and client-creating macros (the crate's local
/// types come from every file, parsed or not). When those change, the files that name a
/// changed one are scanned again.
#[derive(Default)]
pub(crate) struct ScanMemo<'m> {
    inputs: Vec<(String, FileId)>,
    macros: Vec<(String, MacroClient)>,
    by_file: HashMap<FileId, Vec<Scanned>>,
    /// Whether a file names a word: when given, only the files that name a changed alias or
    /// macro are scanned again.
    mentions: Option<Mentions<'m>>,
}

/// Whether a file names a word.
pub(crate) type Mentions<'m> = &'m (dyn Fn(FileId, &str) -> bool + Sync);

impl<'m> ScanMemo<'m> {
    pub(crate) fn new(mentions: Mentions<'m>) -> Self {
        ScanMemo {
            mentions: Some(mentions),
            ..ScanMemo::default()
        }
    }

    /// Forgets the scans of a file (parsed again).
    pub(crate) fn forget(&mut self, file: FileId) {
        self.by_file.remove(&file);
    }

    /// Forgets the scans that the crate-wide inputs changed since the last ones may change:
    /// those of the files that name a changed alias or macro (or an alias through one), or
    /// every scan without [`ScanMemo::new`]'s `mentions`.
    fn refresh(&mut self, index: &CrateIndex<'_>) {
        let mut inputs: Vec<(String, FileId)> = index
            .aliases
            .iter()
            .map(|(name, (unit, _))| (name.clone(), index.units[*unit].file))
            .collect();
        inputs.sort_unstable();
        let mut macros: Vec<(String, MacroClient)> = index
            .creating_macros
            .iter()
            .map(|(name, m)| (name.clone(), *m))
            .collect();
        macros.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if inputs == self.inputs && macros == self.macros {
            return;
        }
        match self.mentions {
            None => self.by_file.clear(),
            Some(mentions) => {
                let mut changed = differing(&self.inputs, &inputs);
                changed.extend(differing(&self.macros, &macros));
                // An alias of a changed alias changes too.
                loop {
                    let through: Vec<String> = index
                        .aliases
                        .iter()
                        .filter(|(name, (_, ty))| {
                            !changed.contains(*name) && names_any(ty, &changed)
                        })
                        .map(|(name, _)| name.clone())
                        .collect();
                    if through.is_empty() {
                        break;
                    }
                    changed.extend(through);
                }
                self.by_file
                    .retain(|file, _| !changed.iter().any(|name| mentions(*file, name)));
            }
        }
        self.inputs = inputs;
        self.macros = macros;
    }

    /// The scan of every function of the index, in `all_fns` order (those of a file not
    /// scanned before, or scanned with other functions, are scanned now).
    fn scanned<'s>(&'s mut self, index: &CrateIndex<'_>) -> Vec<&'s Scanned> {
        let config_aliases: Vec<String> = index
            .aliases
            .iter()
            .filter(|(_, (unit, ty))| types::is_client_config(index, *unit, ty))
            .map(|(name, _)| name.clone())
            .collect();
        let mut by_unit: Vec<Vec<FnRef<'_>>> = vec![Vec::new(); index.units.len()];
        for f in &index.all_fns {
            if let Some(fns) = by_unit.get_mut(f.unit) {
                fns.push(*f);
            }
        }
        for (unit, fns) in index.units.iter().zip(&by_unit) {
            if self
                .by_file
                .get(&unit.file)
                .is_some_and(|scans| scans.len() == fns.len())
            {
                continue;
            }
            let renamed = unit
                .uses
                .iter()
                .filter(|(_, full)| full.last().is_some_and(|l| l == "ClientConfig"))
                .map(|(name, _)| name.clone());
            let config_names: Vec<String> = std::iter::once("ClientConfig".to_owned())
                .chain(renamed)
                .chain(config_aliases.iter().cloned())
                .collect();
            let scans = fns
                .iter()
                .map(|f| {
                    let mut scan = Scan {
                        index,
                        unit: f.unit,
                        owner: f.self_ty.and_then(bare_name),
                        macros: &index.creating_macros,
                        creates: false,
                        unsure: false,
                        names_config: false,
                        config_names: &config_names,
                        calls: Vec::new(),
                    };
                    scan.visit_signature(f.sig);
                    scan.visit_block(f.block);
                    Scanned {
                        creates: scan.creates || scan.unsure && scan.names_config,
                        calls: scan.calls,
                    }
                })
                .collect();
            self.by_file.insert(unit.file, scans);
        }
        let mut next: HashMap<FileId, usize> = HashMap::new();
        index
            .all_fns
            .iter()
            .filter_map(|f| {
                let file = index.units[f.unit].file;
                let n = next.entry(file).or_default();
                *n += 1;
                self.by_file.get(&file)?.get(*n - 1)
            })
            .collect()
    }
}

/// The names whose entries differ between two sorted lists of `(name, what)`.
fn differing<T: PartialEq>(old: &[(String, T)], new: &[(String, T)]) -> HashSet<String> {
    fn find<'l, T>(list: &'l [(String, T)], name: &str) -> Option<&'l T> {
        list.binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| &list[i].1)
    }
    old.iter()
        .chain(new)
        .filter(|(name, _)| find(old, name) != find(new, name))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether a type names one of `names`.
fn names_any(ty: &syn::Type, names: &HashSet<String>) -> bool {
    struct Find<'n>(&'n HashSet<String>, bool);
    impl<'e> Visit<'e> for Find<'_> {
        fn visit_ident(&mut self, i: &'e proc_macro2::Ident) {
            self.1 |= self.0.contains(&i.to_string());
        }
    }
    let mut find = Find(names, false);
    find.visit_type(ty);
    find.1
}

/// The shapes of the creators of one name, as calls match them.
#[derive(Default)]
struct Shapes {
    /// How many take `self`: `x.name()`.
    methods: usize,
    /// One outside any `impl`: `name()`, `module::name()`.
    module_fn: bool,
    /// The `Self` types of those in an `impl` (`Type::name()`, `Self::name()` there), when
    /// there are some.
    owners: Option<HashSet<String>>,
}

impl Shapes {
    fn add(&mut self, f: FnRef<'_>) {
        if f.sig.receiver().is_some() {
            self.methods += 1;
        }
        match f.self_ty {
            None => self.module_fn = true,
            Some(ty) => {
                self.owners.get_or_insert_default().extend(bare_name(ty));
            }
        }
    }

    /// Whether a call from a function of `impl caller` matches (`methods`: how many
    /// functions taking `self` of that name the crate defines). `x.name()` on a receiver of
    /// unknown type matches only when every method of that name creates a client: a name
    /// shared with other types' methods is a real ambiguity, as in [`super::flow`].
    fn matches(&self, call: &Call, caller: Option<&str>, methods: usize) -> bool {
        let owned_by = |owner: &str| self.owners.as_ref().is_some_and(|o| o.contains(owner));
        match call {
            // `name()` calls a free function, never an `impl`'s.
            Call::Bare(_) => self.module_fn,
            Call::Method(_, true) if caller.is_some_and(owned_by) => self.methods > 0,
            Call::Method(..) => self.methods > 0 && self.methods >= methods,
            // `module::name()`, written in lower case; `Type::name()`.
            Call::Owned(owner, _) => {
                self.module_fn && owner.starts_with(|c: char| c.is_lowercase()) || owned_by(owner)
            }
        }
    }
}
