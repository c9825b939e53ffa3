//! What one crate defines, collected from all its files so that information flows between
//! them: `use` maps per file, constants, type aliases, struct fields, local type names and
//! functions by name.

use std::collections::{HashMap, HashSet};

use syn::{ImplItem, Item, TraitItem, UseTree};

use crate::rust::parse::Parsed;
use crate::source::FileId;

/// One parsed file of the crate.
#[derive(Debug)]
pub(crate) struct Unit<'a> {
    pub file: FileId,
    pub parsed: &'a Parsed,
    /// Local name → full path, from `use` items (`Kc` → `rdkafka::config::ClientConfig`).
    pub uses: HashMap<String, Vec<String>>,
    /// Paths imported with `*`.
    pub globs: Vec<Vec<String>>,
    /// The file's module name (`helpers`), `None` for a crate root.
    pub module: Option<String>,
}

impl Unit<'_> {
    /// A path with its first segment replaced by what the file's `use` items import under
    /// that name (`Kc::new` → `rdkafka::config::ClientConfig::new`).
    pub(crate) fn expand(&self, segments: &[String]) -> Vec<String> {
        match segments
            .split_first()
            .and_then(|(first, rest)| Some((self.uses.get(first)?, rest)))
        {
            Some((full, rest)) => full.iter().chain(rest).cloned().collect(),
            None => segments.to_vec(),
        }
    }
}

/// A function or method body of the crate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FnRef<'a> {
    pub unit: usize,
    pub sig: &'a syn::Signature,
    pub block: &'a syn::Block,
    /// The `Self` type of the enclosing impl, by its last path segment.
    pub self_ty: Option<&'a syn::Type>,
    /// The innermost inline `mod` it is in; `None`: the file's own module.
    pub inline_mod: Option<&'a syn::Ident>,
}

/// Everything the flow analysis looks up by name.
#[derive(Debug, Default)]
pub(crate) struct CrateIndex<'a> {
    pub units: Vec<Unit<'a>>,
    pub consts: HashMap<String, (usize, &'a syn::Expr)>,
    pub aliases: HashMap<String, (usize, &'a syn::Type)>,
    /// Structs, enums, unions and traits defined in the crate.
    pub local_types: HashSet<String>,
    pub struct_fields: HashMap<String, Vec<(String, usize, &'a syn::Type)>>,
    pub fns: HashMap<String, Vec<FnRef<'a>>>,
    /// Every named struct field of the crate by field name: settings structs bind fields to
    /// env keys (`settings.kafka_session_timeout_ms`).
    pub fields_by_name: HashMap<String, Vec<(usize, String, &'a syn::Field)>>,
    /// `impl Default` field values: (struct, field) → expression.
    pub field_defaults: HashMap<(String, String), (usize, &'a syn::Expr)>,
    /// Every function and method, in file order: the roots of the analysis.
    pub all_fns: Vec<FnRef<'a>>,
    /// Whether the crate loads a settings struct from the environment (envy, envconfig,
    /// serde_env, config's `Environment`, figment's `Env`): only then do settings-struct
    /// fields stand for env keys by their names.
    pub loads_env: bool,
    /// The crate's `macro_rules!` macros whose body creates an rdkafka client, by name.
    pub creating_macros: HashMap<String, MacroClient>,
    /// How many functions taking `self` the crate defines, by name, in every file (parsed or
    /// not): `x.name()` on a receiver of unknown type resolves to a helper only when every
    /// method of that name is one.
    pub method_counts: HashMap<String, usize>,
    /// The file that first defines a struct field of each name, parsed or not: settings
    /// fields are read from it alone (empty: the first one parsed).
    pub field_files: HashMap<String, FileId>,
}

/// What a `macro_rules!` body that creates a client names (it is not expanded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MacroClient {
    /// `StreamConsumer` / `BaseConsumer`.
    pub consumer: bool,
    /// A producer type, and no consumer type.
    pub producer: bool,
    /// `ClientConfig`.
    pub config: bool,
}

/// The `MacroClient` of a macro body, when the body creates a client.
fn macro_client(tokens: &proc_macro2::TokenStream) -> Option<MacroClient> {
    fn idents(tokens: proc_macro2::TokenStream, out: &mut HashSet<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                proc_macro2::TokenTree::Group(g) => idents(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut names = HashSet::new();
    idents(tokens.clone(), &mut names);
    let any = |list: &[&str]| list.iter().any(|n| names.contains(*n));
    if !any(&[
        "create",
        "create_with_context",
        "from_config",
        "from_config_and_context",
    ]) {
        return None;
    }
    let consumer = any(&["StreamConsumer", "BaseConsumer"]);
    Some(MacroClient {
        consumer,
        producer: !consumer
            && any(&[
                "FutureProducer",
                "BaseProducer",
                "ThreadedProducer",
                "AdminClient",
            ]),
        config: any(&["ClientConfig"]),
    })
}

impl<'a> CrateIndex<'a> {
    pub(crate) fn new(files: &'a [(FileId, Parsed)], module_of: super::ModuleOf<'_>) -> Self {
        let mut index = CrateIndex::default();
        for (n, (file, parsed)) in files.iter().enumerate() {
            let mut unit = Unit {
                file: *file,
                parsed,
                uses: HashMap::new(),
                globs: Vec::new(),
                module: module_of(*file),
            };
            index.items(n, &parsed.ast.items, &mut unit, None);
            for (inline_mod, f) in &parsed.synthetic {
                index.add_fn(FnRef {
                    unit: n,
                    sig: &f.sig,
                    block: &f.block,
                    self_ty: None,
                    inline_mod: inline_mod.as_ref(),
                });
            }
            index.units.push(unit);
        }
        index
    }

    fn items(
        &mut self,
        unit: usize,
        items: &'a [Item],
        uses: &mut Unit<'a>,
        inline_mod: Option<&'a syn::Ident>,
    ) {
        for item in items {
            match item {
                Item::Use(u) => flatten_use(&u.tree, &mut Vec::new(), uses),
                Item::Const(c) => {
                    self.consts
                        .entry(c.ident.to_string())
                        .or_insert((unit, &c.expr));
                }
                Item::Static(s) => {
                    self.consts
                        .entry(s.ident.to_string())
                        .or_insert((unit, &s.expr));
                }
                Item::Type(t) => {
                    self.aliases
                        .entry(t.ident.to_string())
                        .or_insert((unit, &t.ty));
                }
                Item::Struct(s) => {
                    self.local_types.insert(s.ident.to_string());
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), unit, &f.ty)))
                        .collect();
                    self.struct_fields.insert(s.ident.to_string(), fields);
                    for field in &s.fields {
                        if let Some(ident) = &field.ident {
                            let owner = s.ident.to_string();
                            self.fields_by_name
                                .entry(ident.to_string())
                                .or_default()
                                .push((unit, owner, field));
                        }
                    }
                }
                Item::Enum(e) => {
                    self.local_types.insert(e.ident.to_string());
                }
                Item::Union(u) => {
                    self.local_types.insert(u.ident.to_string());
                }
                Item::Trait(t) => {
                    self.local_types.insert(t.ident.to_string());
                    for item in &t.items {
                        if let TraitItem::Fn(f) = item {
                            if let Some(block) = &f.default {
                                self.add_fn(FnRef {
                                    unit,
                                    sig: &f.sig,
                                    block,
                                    self_ty: None,
                                    inline_mod,
                                });
                            }
                        }
                    }
                }
                Item::Fn(f) => self.add_fn(FnRef {
                    unit,
                    sig: &f.sig,
                    block: &f.block,
                    self_ty: None,
                    inline_mod,
                }),
                Item::Impl(i) => {
                    if i.trait_.as_ref().is_some_and(|(_, path, _)| {
                        path.segments.last().is_some_and(|s| s.ident == "Default")
                    }) {
                        self.default_impl(unit, i);
                    }
                    for item in &i.items {
                        if let ImplItem::Fn(f) = item {
                            self.add_fn(FnRef {
                                unit,
                                sig: &f.sig,
                                block: &f.block,
                                self_ty: Some(&i.self_ty),
                                inline_mod,
                            });
                        }
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.items(unit, items, uses, Some(&m.ident));
                    }
                }
                Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                    if let (Some(name), Some(client)) = (&m.ident, macro_client(&m.mac.tokens)) {
                        self.creating_macros.insert(name.to_string(), client);
                    }
                }
                _ => {}
            }
        }
    }

    /// `impl Default for Settings { fn default() -> Self { Self { field: value, .. } } }`.
    fn default_impl(&mut self, unit: usize, i: &'a syn::ItemImpl) {
        let syn::Type::Path(owner) = &*i.self_ty else {
            return;
        };
        let Some(owner) = owner.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        for item in &i.items {
            let ImplItem::Fn(f) = item else { continue };
            let Some(syn::Stmt::Expr(syn::Expr::Struct(literal), None)) = f.block.stmts.last()
            else {
                continue;
            };
            for field in &literal.fields {
                if let syn::Member::Named(name) = &field.member {
                    self.field_defaults
                        .insert((owner.clone(), name.to_string()), (unit, &field.expr));
                }
            }
        }
    }

    /// The name of the module a function is defined in (`None`: a crate root).
    pub(crate) fn module_of(&self, f: &FnRef<'a>) -> Option<String> {
        match f.inline_mod {
            Some(ident) => Some(ident.to_string()),
            None => self.units.get(f.unit)?.module.clone(),
        }
    }

    fn add_fn(&mut self, f: FnRef<'a>) {
        self.fns.entry(f.sig.ident.to_string()).or_default().push(f);
        self.all_fns.push(f);
    }
}

/// Whether one file, parsed on its own, loads settings from the environment (the crate's
/// [`CrateIndex::loads_env`] is true when any of its files does).
pub(crate) fn file_loads_env(parsed: &Parsed) -> bool {
    let mut unit = Unit {
        file: FileId(0),
        parsed,
        uses: HashMap::new(),
        globs: Vec::new(),
        module: None,
    };
    collect_uses(&parsed.ast.items, &mut unit);
    loads_env(&parsed.ast, &unit)
}

/// The `use` items of a file and of its inline modules, as [`CrateIndex::items`] reads them.
fn collect_uses<'a>(items: &'a [Item], unit: &mut Unit<'a>) {
    for item in items {
        match item {
            Item::Use(u) => flatten_use(&u.tree, &mut Vec::new(), unit),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_uses(items, unit);
                }
            }
            _ => {}
        }
    }
}

/// Crates and items that fill a struct from the environment.
const ENV_LOADERS: [&str; 4] = ["envy", "envconfig", "serde_env", "envious"];

/// Whether a file loads settings from the environment: it names an env-loading crate
/// (`envy::from_env`, `use envconfig::Envconfig`, `#[derive(Envconfig)]`), config's
/// `Environment` or figment's `Env`.
fn loads_env(file: &syn::File, unit: &Unit<'_>) -> bool {
    struct Finder<'u, 'a> {
        unit: &'u Unit<'a>,
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_, '_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if names_env_loader(&self.unit.expand(&names)) {
                self.found = true;
            }
            syn::visit::visit_path(self, path);
        }
    }
    if unit.uses.values().any(|full| names_env_loader(full)) {
        return true;
    }
    let mut finder = Finder { unit, found: false };
    syn::visit::Visit::visit_file(&mut finder, file);
    finder.found
}

/// Whether a full path names an env loader: a path into one of [`ENV_LOADERS`], the
/// `Envconfig` derive, config's `Environment` or figment's `Env`.
fn names_env_loader(full: &[String]) -> bool {
    let from = |crate_: &str, item: &str| {
        full.first().is_some_and(|f| f == crate_) && full.iter().any(|s| s == item)
    };
    full.first()
        .is_some_and(|f| ENV_LOADERS.contains(&f.as_str()))
        || full.iter().any(|n| n == "Envconfig")
        || from("config", "Environment")
        || from("figment", "Env")
}

fn flatten_use(tree: &UseTree, prefix: &mut Vec<String>, unit: &mut Unit<'_>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, unit);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    unit.uses.insert(last.clone(), prefix.clone());
                }
            } else {
                let mut full = prefix.clone();
                full.push(name.clone());
                unit.uses.insert(name, full);
            }
        }
        UseTree::Rename(r) => {
            let mut full = prefix.clone();
            full.push(r.ident.to_string());
            unit.uses.insert(r.rename.to_string(), full);
        }
        UseTree::Glob(_) => unit.globs.push(prefix.clone()),
        UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, prefix, unit);
            }
        }
    }
}
