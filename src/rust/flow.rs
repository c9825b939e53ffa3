//! Following `ClientConfig` values through function bodies.
//!
//! A small abstract interpreter walks each function of a crate in order, keeping for every
//! local binding that holds a config the state of each key: set (with its value expression),
//! unset, or unknown. It understands the ways real code builds configs (chains, statements on
//! a `let mut` binding, branches, helper functions of the same crate, `from_iter`, `extend`,
//! `clone`) and records every place a client is created from one. Whatever it cannot see
//! through (a loop over a map, a key that is not a constant, a config handed to code outside
//! the crate) makes the keys it could have changed unknown; unknown is never reported as
//! missing.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, FnArg, Pat, Stmt, Type};

use crate::rust::bind::{self, EnvRef};
use crate::rust::config::{Base, Config, KeyState, Loc, Unseen};
use crate::rust::eval::eval_text;
use crate::rust::index::{CrateIndex, FnRef};
use crate::rust::types::{self, ClientKind};

/// A place where an rdkafka client is created from a config.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Construction {
    /// The `create` call (or `from_config`).
    pub loc: Loc,
    pub config: Config,
    pub kind: ClientKind,
    /// The created type as written, for messages (`StreamConsumer<Ctx>`).
    pub type_name: Option<String>,
    pub subscribed: bool,
    pub assigned: bool,
    /// When the client is created inside a helper evaluated at a call site (`loc` is then
    /// that call): the creating call in the helper, and the helper's name.
    pub created_in: Option<(Loc, String)>,
    /// The function whose run recorded it (see [`Flow::run`]).
    root: usize,
}

/// What an expression evaluates to, as far as the analysis cares.
#[derive(Debug, Clone)]
enum Val {
    Nothing,
    /// A config, and the binding it lives in when it is one.
    Config(Config, Option<String>),
    /// A created client (index into the constructions).
    Client(usize),
}

#[derive(Debug, Clone)]
enum Binding {
    Config(Config),
    Client(usize),
    /// A value read from the environment (`let session = env::var("K")?;`).
    Env(EnvRef),
    /// A constant a caller passed for a parameter (`"orders"`, `Some("orders")`, `None`).
    Lit(Lit),
}

/// A constant value, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lit {
    Text(String, Loc),
    Some(String, Loc),
    /// `Some(x)` of a value the analysis does not know: `if let Some(g)` runs.
    SomeUnknown,
    /// What `if let Some(g)` binds `g` to from `SomeUnknown`: nothing known, but it hides an
    /// outer `g`.
    Unknown,
    None,
}

/// A helper function's effect on configs.
#[derive(Debug, Clone)]
struct Summary {
    returns: Option<Config>,
    /// Final state of each `&mut ClientConfig` parameter, by parameter number.
    params: Vec<(usize, Config)>,
}

/// The state of one function being interpreted.
struct Frame<'a> {
    f: FnRef<'a>,
    vars: HashMap<String, Binding>,
    /// The type of each local binding and parameter whose type the code names, by its last
    /// segment (`let auth = Auth { .. }`, `let auth: Auth = ..`, `auth: &Auth`): a method
    /// call on it resolves by that type.
    types: HashMap<String, String>,
    returned: Vec<Val>,
    recording: bool,
    /// The function whose run this is (itself, or the caller a helper is evaluated for).
    root: usize,
    /// For a helper evaluated at a call site: the outermost call, where its clients are
    /// reported.
    call_site: Option<Loc>,
    /// How many helper calls deep this evaluation is.
    depth: usize,
}

impl<'a> Frame<'a> {
    fn new(f: FnRef<'a>, recording: bool) -> Self {
        Frame {
            f,
            vars: HashMap::new(),
            types: param_types(f),
            returned: Vec::new(),
            recording,
            root: key(f),
            call_site: None,
            depth: 0,
        }
    }
}

/// How deep helpers that create clients are evaluated at their call sites; deeper calls
/// share the helper's own run.
const MAX_CALL_DEPTH: usize = 4;

/// How many helper bodies the analysis of one function evaluates at call sites in all (the
/// helpers it reaches included): beyond it, calls share the helper's own run (or its
/// summary), so that helpers calling helpers at every level cannot multiply the work. Counted
/// per function, so that what a function yields never depends on the rest of the crate (nor
/// on how the crate is split into parts, see `parts`).
const MAX_INSTANCES: usize = 20_000;

/// What a function's body does with a client stored in a field of its struct
/// (`self.consumer.subscribe(..)`), wherever the client was created.
#[derive(Debug, Clone, Copy, Default)]
struct FieldUse {
    subscribed: bool,
    assigned: bool,
    kind: Option<ClientKind>,
}

/// A function a call may resolve to.
struct Candidate<'a> {
    f: FnRef<'a>,
    /// Whether it takes `self`.
    method: bool,
    /// The `Self` type of its `impl`, by name.
    owner: Option<String>,
}

/// A call of a helper: where it is, and the generic arguments it names.
struct CallSite<'e> {
    loc: Loc,
    turbofish: Option<&'e syn::AngleBracketedGenericArguments>,
}

/// The identity of a function: its signature's address in the syntax tree.
pub(super) fn key(f: FnRef<'_>) -> usize {
    std::ptr::from_ref(f.sig) as usize
}

/// The interpreter for one crate.
pub(crate) struct Flow<'i, 'a> {
    index: &'i CrateIndex<'a>,
    summaries: HashMap<usize, Option<Summary>>,
    in_progress: HashSet<usize>,
    pub constructions: Vec<Construction>,
    /// Each function's own run, once done: the client it returns, if one.
    roots: HashMap<usize, Option<usize>>,
    /// Helpers evaluated at some call site with the caller's arguments.
    instantiated: HashSet<usize>,
    /// Helpers whose own run some caller used (its arguments told nothing).
    shared: HashSet<usize>,
    /// Helpers being evaluated at a call site now (recursion stops there).
    instantiating: HashSet<usize>,
    /// Helper bodies evaluated at call sites so far (see [`MAX_INSTANCES`]).
    instances: usize,
    /// The functions that create a client, directly or through a helper they call, by key.
    creators: HashSet<usize>,
    /// The functions a call may resolve to (config helpers and creators), by name, with what
    /// the lookup compares (computed once: a crate has thousands of `new`s).
    helpers: HashMap<String, Vec<Candidate<'a>>>,
    /// The free functions of each unit by name, and whether each is a helper: a bare call
    /// `name()` resolves to its own module's `name` without looking at every helper of that
    /// name in the crate (a generated crate has one `base` per file).
    own_free: HashMap<(String, usize), Vec<(FnRef<'a>, bool)>>,
    /// Names of helpers that are in an `impl` of a type without a plain name (`impl T for
    /// (A, B)`) and do not take `self`: a bare call may also resolve to them.
    unnamed_owner: HashSet<String>,
    /// Clients stored in struct fields, by (struct, field).
    field_clients: HashMap<(String, String), Vec<usize>>,
    field_uses: HashMap<(String, String), FieldUse>,
    /// The crate's one `impl From<T> for ClientConfig` conversion, if it has exactly one.
    conversion: Option<FnRef<'a>>,
}

/// Methods only rdkafka producers have.
pub(crate) const PRODUCER_METHODS: [&str; 7] = [
    "send",
    "send_result",
    "flush",
    "init_transactions",
    "begin_transaction",
    "commit_transaction",
    "abort_transaction",
];

/// Methods only rdkafka consumers have (`subscribe` and `assign` are handled on their own).
pub(crate) const CONSUMER_METHODS: [&str; 8] = [
    "recv",
    "stream",
    "commit",
    "commit_message",
    "commit_consumer_state",
    "store_offset",
    "unsubscribe",
    "seek",
];

/// Methods that hand back what they were called on (`Result` and error-context adapters).
const PASSTHROUGH: [&str; 12] = [
    "unwrap",
    "expect",
    "map_err",
    "context",
    "with_context",
    "wrap_err",
    "change_context",
    "ok",
    "into",
    "unwrap_or_else",
    "boxed",
    "to_owned",
];

/// What the prefilter's next round needs to know of the files parsed so far: the functions
/// a call may resolve to (config helpers and creators, as [`Flow::new`] collects them), the
/// files that hold a creator (by unit), the crate's client-creating macros and its type
/// aliases.
pub(crate) fn known(
    index: &CrateIndex<'_>,
    memo: &mut super::creators::ScanMemo<'_>,
) -> super::scope::Known {
    let creators = super::creators::creators(index, memo);
    let mut reachable: Vec<super::scope::Reachable> = index
        .all_fns
        .iter()
        .filter(|f| is_config_helper(index, **f) || creators.contains(&key(**f)))
        .map(|f| super::scope::Reachable {
            name: f.sig.ident.to_string(),
            method: f.sig.receiver().is_some(),
            owner: f.self_ty.and_then(bare_name),
        })
        .collect();
    reachable
        .sort_unstable_by(|a, b| (&a.name, a.method, &a.owner).cmp(&(&b.name, b.method, &b.owner)));
    reachable.dedup();
    // Aliases of rdkafka's config and client types (`type Kc = ClientConfig`): a file that
    // names one may build or create with it.
    let client_type = |unit: usize, ty: &Type| {
        types::is_client_config(index, unit, ty)
            || matches!(
                types::classify(index, unit, ty),
                ClientKind::Consumer | ClientKind::Producer | ClientKind::Admin
            )
    };
    let aliases = index
        .aliases
        .iter()
        .filter(|(_, (unit, ty))| client_type(*unit, ty))
        .map(|(name, _)| name);
    let names = index
        .creating_macros
        .keys()
        .chain(aliases)
        .cloned()
        .collect();
    // Structs with a field of a client type: a method of theirs may `subscribe` or `assign`
    // the client stored there.
    let mut holders: Vec<String> = index
        .struct_fields
        .iter()
        .filter(|(_, fields)| fields.iter().any(|(_, unit, ty)| client_type(*unit, ty)))
        .map(|(name, _)| name.clone())
        .collect();
    holders.sort_unstable();
    let mut creating: Vec<usize> = index
        .all_fns
        .iter()
        .filter(|f| creators.contains(&key(**f)))
        .map(|f| f.unit)
        .collect();
    creating.sort_unstable();
    creating.dedup();
    super::scope::Known {
        reachable,
        creating,
        names,
        holders,
    }
}

impl<'i, 'a> Flow<'i, 'a> {
    pub(crate) fn new(index: &'i CrateIndex<'a>, memo: &mut super::creators::ScanMemo<'_>) -> Self {
        let creators = super::creators::creators(index, memo);
        let mut helpers: HashMap<String, Vec<Candidate<'a>>> = HashMap::new();
        for f in &index.all_fns {
            if is_config_helper(index, *f) || creators.contains(&key(*f)) {
                helpers
                    .entry(f.sig.ident.to_string())
                    .or_default()
                    .push(Candidate {
                        f: *f,
                        method: f.sig.receiver().is_some(),
                        owner: f.self_ty.and_then(bare_name),
                    });
            }
        }
        let mut own_free: HashMap<(String, usize), Vec<(FnRef<'a>, bool)>> = HashMap::new();
        let mut unnamed_owner = HashSet::new();
        for (name, candidates) in &helpers {
            if candidates
                .iter()
                .any(|c| c.f.self_ty.is_some() && c.owner.is_none() && !c.method)
            {
                unnamed_owner.insert(name.clone());
            }
        }
        let helper_keys: HashSet<usize> = helpers.values().flatten().map(|c| key(c.f)).collect();
        for f in index.all_fns.iter().filter(|f| f.self_ty.is_none()) {
            let name = f.sig.ident.to_string();
            let helper = helper_keys.contains(&key(*f));
            own_free
                .entry((name, f.unit))
                .or_default()
                .push((*f, helper));
        }
        Flow {
            index,
            own_free,
            unnamed_owner,
            summaries: HashMap::new(),
            in_progress: HashSet::new(),
            constructions: Vec::new(),
            roots: HashMap::new(),
            instantiated: HashSet::new(),
            shared: HashSet::new(),
            instantiating: HashSet::new(),
            instances: 0,
            creators,
            helpers,
            field_clients: HashMap::new(),
            field_uses: HashMap::new(),
            conversion: Self::config_conversion(index),
        }
    }

    /// Interprets every function of the crate and records the clients they create. A helper
    /// that creates a client from what its callers pass is evaluated at each call site with
    /// the caller's arguments; its own run (parameters unseen) is then dropped, unless some
    /// caller passed nothing the analysis knows and so used that run. What a function does
    /// with a client stored in a struct field decides that client's role too.
    pub(crate) fn run(&mut self) {
        for f in self.index.all_fns.clone() {
            self.instances = 0;
            self.root(f);
        }
        for (place, uses) in std::mem::take(&mut self.field_uses) {
            for &i in self.field_clients.get(&place).into_iter().flatten() {
                if let Some(c) = self.constructions.get_mut(i) {
                    c.subscribed |= uses.subscribed;
                    c.assigned |= uses.assigned;
                    if let (ClientKind::Unknown, Some(kind)) = (c.kind, uses.kind) {
                        c.kind = kind;
                    }
                }
            }
        }
        let (instantiated, shared) = (&self.instantiated, &self.shared);
        self.constructions
            .retain(|c| !instantiated.contains(&c.root) || shared.contains(&c.root));
        self.collapse();
        self.constructions
            .sort_by_key(|c| (c.loc.file, c.loc.span.start));
    }

    /// A helper whose every call site yields the same client (one caller, or callers passing
    /// the same constants) is reported once, at its own creating call, where the fix goes.
    fn collapse(&mut self) {
        let same = |a: &Construction, b: &Construction| {
            (&a.config, a.kind, &a.type_name, a.subscribed, a.assigned)
                == (&b.config, b.kind, &b.type_name, b.subscribed, b.assigned)
        };
        let mut groups: HashMap<Loc, Vec<usize>> = HashMap::new();
        for (i, c) in self.constructions.iter().enumerate() {
            if let Some((inner, _)) = &c.created_in {
                groups.entry(inner.clone()).or_default().push(i);
            }
        }
        // The helper's own run, where some caller's arguments told nothing.
        let own: HashMap<Loc, usize> = self
            .constructions
            .iter()
            .enumerate()
            .filter(|(_, c)| c.created_in.is_none())
            .map(|(i, c)| (c.loc.clone(), i))
            .collect();
        let mut dropped = HashSet::new();
        for (inner, members) in groups {
            let first = &self.constructions[members[0]];
            if !members.iter().all(|&i| same(first, &self.constructions[i])) {
                continue;
            }
            if let Some(&own) = own.get(&inner) {
                // That run stands for these calls when they yield the same client; else the
                // calls stay at their call sites, apart from it.
                if same(first, &self.constructions[own]) {
                    dropped.extend(members);
                }
                continue;
            }
            let kept = members[0];
            dropped.extend(members.into_iter().skip(1));
            let c = &mut self.constructions[kept];
            c.loc = inner;
            c.created_in = None;
        }
        let mut n = 0;
        self.constructions.retain(|_| {
            n += 1;
            !dropped.contains(&(n - 1))
        });
    }

    /// A function's own run (parameters unseen), once: the client it returns, if one.
    fn root(&mut self, f: FnRef<'a>) -> Option<usize> {
        let key = key(f);
        if let Some(client) = self.roots.get(&key) {
            return *client;
        }
        // While it runs (a recursive call), it returns nothing known.
        self.roots.insert(key, None);
        let (_, client) = self.interpret(f, true);
        self.roots.insert(key, client);
        client
    }

    fn loc(&self, frame: &Frame<'_>, span: Span) -> Loc {
        let unit = &self.index.units[frame.f.unit];
        Loc {
            file: unit.file,
            span: unit.parsed.range(span),
        }
    }

    /// Runs a function body. Recording runs (the roots) bind config parameters as unseen and
    /// keep the clients created; summary runs bind them as parameters to be overlaid later.
    fn interpret(&mut self, f: FnRef<'a>, recording: bool) -> (Summary, Option<usize>) {
        let mut frame = Frame::new(f, recording);
        let mut mut_params = Vec::new();
        for (n, input) in f.sig.inputs.iter().enumerate() {
            let Some((name, span, mutable)) = self.config_param(f, input) else {
                continue;
            };
            let config = if recording {
                Config::opaque(Unseen {
                    reason: format!("the callers of `{}`, which pass the config in", f.sig.ident),
                    loc: self.loc(&frame, span),
                })
            } else {
                Config::param(n)
            };
            if mutable {
                mut_params.push((n, name.clone()));
            }
            frame.vars.insert(name, Binding::Config(config));
        }
        let (returns, client) = self.finish(&mut frame);
        let params = mut_params
            .into_iter()
            .filter_map(|(n, name)| match frame.vars.get(&name) {
                Some(Binding::Config(c)) => Some((n, c.clone())),
                _ => None,
            })
            .collect();
        (Summary { returns, params }, client)
    }

    /// A config parameter (or `self` in a method of an `impl .. for ClientConfig`): its name,
    /// where it is written, and whether it is `&mut`.
    fn config_param(&self, f: FnRef<'a>, input: &FnArg) -> Option<(String, Span, bool)> {
        match input {
            FnArg::Typed(pt) if types::is_client_config(self.index, f.unit, &pt.ty) => Some((
                pat_ident(&pt.pat)?,
                pt.span(),
                matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_some()),
            )),
            FnArg::Receiver(r) if self_is_client_config(self.index, f) => Some((
                "self".to_owned(),
                r.span(),
                r.reference.is_some() && r.mutability.is_some(),
            )),
            _ => None,
        }
    }

    /// Runs the body of the frame's function: the config it returns and the client it
    /// returns (typed by the return type), if any.
    fn finish(&mut self, frame: &mut Frame<'a>) -> (Option<Config>, Option<usize>) {
        let f = frame.f;
        let tail = self.block(frame, f.block);
        frame.returned.push(tail);
        let returned = std::mem::take(&mut frame.returned);
        let mut returns: Option<Config> = None;
        let mut client = None;
        for value in returned {
            match value {
                Val::Client(i) => {
                    self.type_from(i, f.unit, sig_return(f.sig));
                    client = client.or(Some(i));
                }
                Val::Config(config, _) => {
                    returns = Some(match returns {
                        Some(r) => r.merge(&config, &self.loc(frame, f.sig.ident.span())),
                        None => config,
                    });
                }
                Val::Nothing => {}
            }
        }
        (returns, client)
    }

    /// The summary of a helper, computed once; `None` while it is being computed (recursion).
    fn summary(&mut self, f: FnRef<'a>) -> Option<Summary> {
        let key = key(f);
        if let Some(s) = self.summaries.get(&key) {
            return s.clone();
        }
        if !self.in_progress.insert(key) {
            return None;
        }
        let (summary, _) = self.interpret(f, false);
        self.in_progress.remove(&key);
        self.summaries.insert(key, Some(summary.clone()));
        Some(summary)
    }

    fn block<'e>(&mut self, frame: &mut Frame<'a>, block: &'e syn::Block) -> Val {
        let mut tail = Val::Nothing;
        for stmt in &block.stmts {
            tail = Val::Nothing;
            match stmt {
                Stmt::Local(local) => {
                    let Some(init) = &local.init else { continue };
                    // `let config: ClientConfig = settings.into();` through the crate's
                    // `impl From<Settings> for ClientConfig`.
                    if let (Pat::Type(pt), Expr::MethodCall(m), Some(from)) =
                        (&local.pat, peel_expr(&init.expr), self.conversion)
                    {
                        if m.method == "into"
                            && m.args.is_empty()
                            && types::is_client_config(self.index, frame.f.unit, &pt.ty)
                        {
                            // A config's own `into()` is the identity.
                            let value =
                                if let Val::Config(config, _) = self.expr(frame, &m.receiver) {
                                    Val::Config(config, None)
                                } else {
                                    let call = CallSite {
                                        loc: self.loc(frame, m.span()),
                                        turbofish: None,
                                    };
                                    self.apply_helper(frame, from, None, &m.args, &call)
                                };
                            self.bind(frame, &local.pat, value);
                            continue;
                        }
                    }
                    if let (Some(name), Some(r)) =
                        (pat_ident(&local.pat), self.env_ref(frame, &init.expr))
                    {
                        frame.types.remove(&name);
                        frame.vars.insert(name, Binding::Env(r));
                        continue;
                    }
                    let value = self.expr(frame, &init.expr);
                    if let Some((_, diverge)) = &init.diverge {
                        self.expr(frame, diverge);
                    }
                    self.bind(frame, &local.pat, value);
                    if let (Some(name), Some(ty)) = (
                        pat_ident(&local.pat),
                        local_type(frame.f, &local.pat, &init.expr),
                    ) {
                        frame.types.insert(name, ty);
                    }
                }
                Stmt::Expr(e, semi) => {
                    let value = self.expr(frame, e);
                    if semi.is_none() {
                        tail = value;
                    }
                }
                Stmt::Macro(m) => {
                    self.macro_body(frame, &m.mac);
                }
                Stmt::Item(_) => {}
            }
        }
        tail
    }

    fn bind(&mut self, frame: &mut Frame<'a>, pat: &Pat, value: Val) {
        // A new binding of a name hides what was known of its type.
        let mut names = Vec::new();
        pat_names(pat, &mut names);
        for name in &names {
            frame.types.remove(name);
        }
        if let (Pat::Type(pt), Val::Client(i)) = (pat, &value) {
            self.type_from(*i, frame.f.unit, Some(&pt.ty));
        }
        let Some(name) = pat_ident(pat) else { return };
        match value {
            Val::Config(config, _) => {
                frame.vars.insert(name, Binding::Config(config));
            }
            Val::Client(i) => {
                frame.vars.insert(name, Binding::Client(i));
            }
            Val::Nothing => {
                frame.vars.remove(&name);
            }
        }
    }

    #[allow(clippy::too_many_lines)] // One arm per expression kind reads best in one place.
    fn expr<'e>(&mut self, frame: &mut Frame<'a>, expr: &'e Expr) -> Val {
        match expr {
            Expr::Call(c) => self.call(frame, c),
            Expr::MethodCall(m) => self.method(frame, m),
            Expr::Reference(r) => self.expr(frame, &r.expr),
            Expr::Paren(p) => self.expr(frame, &p.expr),
            Expr::Group(g) => self.expr(frame, &g.expr),
            Expr::Try(t) => self.expr(frame, &t.expr),
            Expr::Await(a) => self.expr(frame, &a.base),
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                match frame.vars.get(&name) {
                    Some(Binding::Config(c)) => Val::Config(c.clone(), Some(name)),
                    Some(Binding::Client(i)) => Val::Client(*i),
                    Some(Binding::Env(_) | Binding::Lit(_)) | None => Val::Nothing,
                }
            }
            Expr::Block(b) => self.block(frame, &b.block),
            Expr::Unsafe(u) => self.block(frame, &u.block),
            Expr::TryBlock(t) => self.block(frame, &t.block),
            Expr::Const(c) => self.block(frame, &c.block),
            Expr::Async(a) => self.maybe_run(frame, a.async_token.span, &[], |flow, frame| {
                flow.block(frame, &a.block)
            }),
            Expr::Closure(c) => {
                let mut params = Vec::new();
                c.inputs.iter().for_each(|p| pat_names(p, &mut params));
                let token = c.or1_token.span;
                self.maybe_run(frame, token, &params, |flow, frame| {
                    flow.expr(frame, &c.body)
                })
            }
            Expr::If(i) => {
                if let Some((runs, bound)) = Self::known_branch(frame, &i.cond) {
                    return self.known_if(frame, i, runs, bound);
                }
                self.expr(frame, &i.cond);
                let at = self.loc(frame, i.if_token.span);
                let before = frame.vars.clone();
                let then = self.block(frame, &i.then_branch);
                let after_then = std::mem::replace(&mut frame.vars, before);
                let otherwise = match &i.else_branch {
                    Some((_, e)) => self.expr(frame, e),
                    None => Val::Nothing,
                };
                frame.vars = merge_vars(&after_then, &frame.vars, &at);
                merge_vals(then, otherwise, &at)
            }
            Expr::Match(m) => {
                // `match group_id { Some(g) => .., None => .. }` on a caller's constant: the
                // first arm that matches it runs (arms with guards are not decided).
                let decided = m.arms.iter().all(|a| a.guard.is_none()).then(|| {
                    m.arms.iter().find_map(|arm| {
                        match Self::known_match(frame, &arm.pat, &m.expr) {
                            Some((true, bound)) => Some(Some((arm, bound))),
                            Some((false, _)) => None,
                            None => Some(None),
                        }
                    })
                });
                if let Some(Some(Some((arm, bound)))) = decided {
                    return self
                        .with_constant(frame, bound, |flow, frame| flow.expr(frame, &arm.body));
                }
                self.expr(frame, &m.expr);
                let at = self.loc(frame, m.match_token.span);
                let arms: Vec<(Option<&Expr>, &Expr)> = m
                    .arms
                    .iter()
                    .map(|arm| (arm.guard.as_ref().map(|(_, g)| &**g), &*arm.body))
                    .collect();
                self.branches(frame, &at, &arms)
            }
            Expr::ForLoop(f) => {
                self.expr(frame, &f.expr);
                self.looped(frame, f.for_token.span, &f.body)
            }
            Expr::While(w) => {
                self.expr(frame, &w.cond);
                self.looped(frame, w.while_token.span, &w.body)
            }
            Expr::Loop(l) => self.looped(frame, l.loop_token.span, &l.body),
            Expr::Macro(m) => self.macro_body(frame, &m.mac),
            Expr::Struct(s) => {
                let owner = s.path.segments.last().map(|seg| seg.ident.to_string());
                for field in &s.fields {
                    let value = self.expr(frame, &field.expr);
                    if let (Val::Client(i), syn::Member::Named(name), Some(owner)) =
                        (&value, &field.member, &owner)
                    {
                        self.type_from_field(frame, *i, owner, &name.to_string());
                    }
                }
                if let Some(rest) = &s.rest {
                    self.expr(frame, rest);
                }
                Val::Nothing
            }
            Expr::Assign(a) => {
                let value = self.expr(frame, &a.right);
                match (&*a.left, value) {
                    (Expr::Path(p), value) if p.path.segments.len() == 1 => {
                        Self::bind_name(frame, p.path.segments[0].ident.to_string(), value);
                    }
                    (Expr::Field(f), Val::Client(i)) => {
                        if let (Expr::Path(base), syn::Member::Named(field)) = (&*f.base, &f.member)
                        {
                            if base.path.is_ident("self") {
                                let owner = frame.f.self_ty.and_then(bare_name);
                                if let Some(owner) = owner {
                                    self.type_from_field(frame, i, &owner, &field.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
                Val::Nothing
            }
            Expr::Return(r) => {
                if let Some(e) = &r.expr {
                    let value = self.expr(frame, e);
                    frame.returned.push(value);
                }
                Val::Nothing
            }
            Expr::Let(l) => self.expr(frame, &l.expr),
            _ => {
                for child in children(expr) {
                    self.expr(frame, child);
                }
                Val::Nothing
            }
        }
    }

    /// An `if let Some(g) = x` whose outcome the caller's constant decides: only the branch
    /// that runs is followed, with `g` bound to the constant inside it.
    fn known_if(
        &mut self,
        frame: &mut Frame<'a>,
        i: &syn::ExprIf,
        runs: bool,
        bound: Option<(String, Lit)>,
    ) -> Val {
        if !runs {
            return match &i.else_branch {
                Some((_, e)) => self.expr(frame, e),
                None => Val::Nothing,
            };
        }
        self.with_constant(frame, bound, |flow, frame| {
            flow.block(frame, &i.then_branch)
        })
    }

    /// Runs `body` with `bound` (a name and the constant it holds) in scope.
    fn with_constant(
        &mut self,
        frame: &mut Frame<'a>,
        bound: Option<(String, Lit)>,
        body: impl FnOnce(&mut Self, &mut Frame<'a>) -> Val,
    ) -> Val {
        let shadowed = bound.map(|(name, lit)| {
            let outer = frame.vars.insert(name.clone(), Binding::Lit(lit));
            (name, outer)
        });
        let value = body(self, frame);
        if let Some((name, outer)) = shadowed {
            match outer {
                Some(outer) => frame.vars.insert(name, outer),
                None => frame.vars.remove(&name),
            };
        }
        value
    }

    /// The value of a closure that runs once, where it is written (a lazy initializer); an
    /// `async` body (`tokio::sync::OnceCell::get_or_init(|| async { .. })`) is awaited.
    fn once(&mut self, frame: &mut Frame<'a>, init: &syn::ExprClosure) -> Val {
        match &*init.body {
            Expr::Async(a) => self.block(frame, &a.block),
            body => self.expr(frame, body),
        }
    }

    fn bind_name(frame: &mut Frame<'_>, name: String, value: Val) {
        frame.types.remove(&name);
        match value {
            Val::Config(config, _) => frame.vars.insert(name, Binding::Config(config)),
            Val::Client(i) => frame.vars.insert(name, Binding::Client(i)),
            Val::Nothing => frame.vars.remove(&name),
        };
    }

    /// A closure or async block runs later, any number of times, maybe never: what it does to
    /// the configs it captures is merged like a loop body's (a key it sets is unknown after
    /// it), its parameters shadow outer bindings, and its `return`s stay inside it.
    fn maybe_run(
        &mut self,
        frame: &mut Frame<'a>,
        token: Span,
        params: &[String],
        body: impl FnOnce(&mut Self, &mut Frame<'a>) -> Val,
    ) -> Val {
        let at = self.loc(frame, token);
        let before = frame.vars.clone();
        let returned = std::mem::take(&mut frame.returned);
        for name in params {
            frame.vars.remove(name);
        }
        body(self, frame);
        let mut after = std::mem::take(&mut frame.vars);
        for name in params {
            match before.get(name) {
                Some(outer) => after.insert(name.clone(), outer.clone()),
                None => after.remove(name),
            };
        }
        frame.vars = merge_vars(&before, &after, &at);
        frame.returned = returned;
        Val::Nothing
    }

    /// Arms of which exactly one runs (`match`, `select!`), each after its guard.
    fn branches(
        &mut self,
        frame: &mut Frame<'a>,
        at: &Loc,
        arms: &[(Option<&Expr>, &Expr)],
    ) -> Val {
        let before = frame.vars.clone();
        let mut merged: Option<(HashMap<String, Binding>, Val)> = None;
        for (guard, body) in arms {
            frame.vars.clone_from(&before);
            if let Some(guard) = guard {
                self.expr(frame, guard);
            }
            let value = self.expr(frame, body);
            merged = Some(match merged {
                None => (frame.vars.clone(), value),
                Some((vars, v)) => (merge_vars(&vars, &frame.vars, at), merge_vals(v, value, at)),
            });
        }
        let (vars, value) = merged.unwrap_or((before, Val::Nothing));
        frame.vars = vars;
        value
    }

    /// `tokio::select! { msg = consumer.recv() => { .. }, else => .. }` (and `futures`'
    /// `select!` / `select_biased!`): every branch's future is made, one body runs.
    fn select(&mut self, frame: &mut Frame<'a>, mac: &syn::Macro, arms: &[SelectArm]) -> Val {
        for arm in arms {
            if let Some(future) = &arm.future {
                self.expr(frame, future);
            }
        }
        let at = self.loc(frame, mac.span());
        let bodies: Vec<(Option<&Expr>, &Expr)> = arms
            .iter()
            .map(|a| (a.condition.as_ref(), &a.body))
            .collect();
        self.branches(frame, &at, &bodies)
    }

    /// A loop body may run any number of times, including never.
    fn looped<'e>(&mut self, frame: &mut Frame<'a>, token: Span, body: &'e syn::Block) -> Val {
        let at = self.loc(frame, token);
        let before = frame.vars.clone();
        self.block(frame, body);
        frame.vars = merge_vars(&before, &frame.vars, &at);
        Val::Nothing
    }

    /// Function-like macros whose arguments are expressions are looked into, and so are the
    /// arms of `select!`. A `macro_rules!` macro of the crate whose body creates a client is
    /// not expanded: each invocation is a client the tool cannot see into.
    fn macro_body(&mut self, frame: &mut Frame<'a>, mac: &syn::Macro) -> Val {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if let Some(client) = self.index.creating_macros.get(&name) {
            let loc = self.loc(frame, mac.span());
            let path = self.loc(frame, mac.path.span());
            let bang = self.loc(frame, mac.bang_token.span);
            let mut config = Config::opaque(Unseen {
                reason: format!("what the macro `{name}!` expands to"),
                loc: Loc {
                    file: path.file,
                    span: path.span.start..bang.span.end,
                },
            });
            if client.config {
                config.origin = Some(loc.clone());
            }
            let kind = if client.consumer {
                ClientKind::Consumer
            } else if client.producer {
                ClientKind::Producer
            } else {
                ClientKind::Unknown
            };
            self.record(frame, loc, config, kind, None);
        }
        if matches!(name.as_str(), "select" | "select_biased") {
            if let Ok(arms) = mac.parse_body_with(select_arms) {
                return self.select(frame, mac, &arms);
            }
        }
        let Ok(args) = mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        else {
            return Val::Nothing;
        };
        let borrows = FORMATTING_MACROS.contains(&name.as_str());
        for arg in &args {
            let value = self.expr(frame, arg);
            // A macro given the binding itself (not a shared borrow) may change it, unless it
            // only formats or compares its arguments (they take references).
            let handed = !borrows
                && match arg {
                    Expr::Path(_) => true,
                    Expr::Reference(r) => r.mutability.is_some(),
                    _ => false,
                };
            if let (true, Val::Config(mut config, Some(place))) = (handed, value) {
                config.make_opaque(Unseen {
                    reason: format!("what the macro `{name}!` does with the config"),
                    loc: self.loc(frame, arg.span()),
                });
                Self::write_back(frame, Some(&place), &config);
            }
        }
        Val::Nothing
    }

    fn call<'e>(&mut self, frame: &mut Frame<'a>, c: &'e syn::ExprCall) -> Val {
        let Expr::Path(p) = &*c.func else {
            self.expr(frame, &c.func);
            return self.args(frame, &c.args, "a closure");
        };
        let segments = types::segments(&p.path);
        let Some((last, owner)) = segments.split_last() else {
            return Val::Nothing;
        };
        let unit = frame.f.unit;
        if !owner.is_empty() && types::names_client_config(self.index, unit, owner) {
            let at = self.loc(frame, c.span());
            // `ClientConfig::from(settings)` through the crate's `impl From<Settings> for
            // ClientConfig` (pairs in an array are `From<[(K, V); N]>`, rdkafka's own).
            let pairs = matches!(c.args.first().map(peel_expr), Some(Expr::Array(_)));
            let conversion = (last == "from" && !pairs)
                .then_some(self.conversion)
                .flatten();
            if let Some(from) = conversion {
                // `ClientConfig::from(config)` is the identity.
                let name = match c.args.first().map(peel_expr) {
                    Some(Expr::Path(p)) if c.args.len() == 1 => p.path.get_ident(),
                    _ => None,
                };
                if let Some(Binding::Config(config)) =
                    name.and_then(|n| frame.vars.get(&n.to_string()))
                {
                    return Val::Config(config.clone(), None);
                }
                let call = CallSite {
                    loc: at,
                    turbofish: None,
                };
                return self.apply_helper(frame, from, None, &c.args, &call);
            }
            return match last.as_str() {
                "new" | "default" => Val::Config(Config::fresh(at), None),
                "from_iter" | "from" => {
                    let mut config = Config::fresh(at.clone());
                    match c.args.first() {
                        Some(arg) => self.extend(frame, &mut config, arg),
                        None => config.make_opaque(Unseen {
                            reason: "this constructor".into(),
                            loc: at,
                        }),
                    }
                    Val::Config(config, None)
                }
                _ => Val::Config(
                    Config::opaque(Unseen {
                        reason: format!("`ClientConfig::{last}`"),
                        loc: at,
                    }),
                    None,
                ),
            };
        }
        // `T::from_config(&config)`; not `TlsSettings::from_config(..)` of another crate.
        if matches!(last.as_str(), "from_config" | "from_config_and_context")
            && (p.qself.is_some() || !types::names_foreign(self.index, unit, owner))
        {
            let kind = match &p.qself {
                Some(q) => types::classify(self.index, unit, &q.ty),
                None => types::classify_segments(self.index, unit, owner),
            };
            let type_name = p
                .qself
                .as_ref()
                .map_or_else(|| owner.last().cloned(), |q| type_name(&q.ty));
            let config = self.config_of(frame, c.args.first(), c.span());
            return Val::Client(self.construct(frame, c.span(), config, kind, type_name));
        }
        let wrapper = matches!(last.as_str(), "Ok" | "Some")
            || (last == "new"
                && owner.last().is_some_and(|o| {
                    matches!(o.as_str(), "Arc" | "Box" | "Rc" | "Mutex" | "RwLock")
                }));
        if wrapper && c.args.len() == 1 {
            return self.expr(frame, &c.args[0]);
        }
        // `LazyLock::new(|| ..)`, `once_cell::sync::Lazy::new(|| ..)`: holds what the closure
        // returns, made once.
        let lazy = last == "new"
            && self.index.units[unit]
                .expand(owner)
                .last()
                .is_some_and(|o| matches!(o.as_str(), "LazyLock" | "LazyCell" | "Lazy"));
        if let (true, [Expr::Closure(init)]) = (lazy, c.args.iter().collect::<Vec<_>>().as_slice())
        {
            return self.once(frame, init);
        }
        if let Some(helper) = self.helper(last, Some((frame.f, owner)), false) {
            let call = CallSite {
                loc: self.loc(frame, c.span()),
                turbofish: match p.path.segments.last().map(|s| &s.arguments) {
                    Some(syn::PathArguments::AngleBracketed(a)) => Some(a),
                    _ => None,
                },
            };
            return self.apply_helper(frame, helper, None, &c.args, &call);
        }
        self.args(frame, &c.args, &format!("`{last}`"))
    }

    /// Evaluates arguments of a call the tool cannot see into: a config passed as `&mut`
    /// becomes unseen.
    fn args<'e>(
        &mut self,
        frame: &mut Frame<'a>,
        args: &'e Punctuated<Expr, syn::Token![,]>,
        callee: &str,
    ) -> Val {
        for arg in args {
            let value = self.expr(frame, arg);
            if let (Expr::Reference(r), Val::Config(mut config, Some(place))) = (arg, value) {
                if r.mutability.is_some() {
                    config.make_opaque(Unseen {
                        reason: format!("{callee}, which receives the config as `&mut`"),
                        loc: self.loc(frame, arg.span()),
                    });
                    frame.vars.insert(place, Binding::Config(config));
                }
            }
        }
        Val::Nothing
    }

    #[allow(clippy::too_many_lines)] // One arm per rdkafka method reads best in one place.
    fn method<'e>(&mut self, frame: &mut Frame<'a>, m: &'e syn::ExprMethodCall) -> Val {
        let receiver = self.expr(frame, &m.receiver);
        let name = m.method.to_string();
        if matches!(receiver, Val::Nothing) {
            self.field_use(frame, &m.receiver, &name);
        }
        match (receiver, name.as_str()) {
            (Val::Config(mut config, place), "set") if m.args.len() == 2 => {
                // A constant, or a parameter bound to the caller's constant (the value is then
                // written at the call site).
                let text = |flow: &Self, frame: &Frame<'a>, e: &Expr| match flow.lit(frame, e) {
                    Some(Lit::Text(text, loc)) => Some((text, loc)),
                    _ => None,
                };
                match text(self, frame, &m.args[0]).map(|(key, _)| key) {
                    Some(key) => {
                        let (value, loc) = match text(self, frame, &m.args[1]) {
                            Some((value, loc)) => (Some(value), loc),
                            None => (None, self.loc(frame, m.args[1].span())),
                        };
                        let key_loc = self.loc(frame, m.args[0].span());
                        let env = self.env_ref(frame, &m.args[1]);
                        config.keys.insert(
                            key,
                            KeyState::Set {
                                value,
                                loc,
                                key: key_loc,
                                env,
                            },
                        );
                    }
                    None => config.make_opaque(Unseen {
                        reason: "a key that is not a constant string".into(),
                        loc: self.loc(frame, m.args[0].span()),
                    }),
                }
                Self::write_back(frame, place.as_ref(), &config);
                Val::Config(config, place)
            }
            (Val::Config(mut config, place), "remove") if m.args.len() == 1 => {
                match eval_text(self.index, &m.args[0]) {
                    Some(key) => {
                        config.keys.insert(key, KeyState::Unset);
                    }
                    None => config.make_opaque(Unseen {
                        reason: "a removed key that is not a constant string".into(),
                        loc: self.loc(frame, m.args[0].span()),
                    }),
                }
                Self::write_back(frame, place.as_ref(), &config);
                Val::Config(config, place)
            }
            (Val::Config(mut config, place), "extend") if m.args.len() == 1 => {
                self.extend(frame, &mut config, &m.args[0]);
                Self::write_back(frame, place.as_ref(), &config);
                Val::Config(config, place)
            }
            // rdkafka before 0.14 (its `TopicConfig` holds topic properties only).
            (Val::Config(config, place), "set_log_level" | "set_default_topic_config") => {
                self.args(frame, &m.args, "an rdkafka setter");
                Val::Config(config, place)
            }
            (Val::Config(config, _), "clone" | "to_owned") => Val::Config(config, None),
            (Val::Config(config, _), "create" | "create_with_context") => {
                self.create_call(frame, m, config)
            }
            (Val::Client(i), "subscribe") => {
                self.args(frame, &m.args, "`subscribe`");
                if let Some(c) = self.constructions.get_mut(i) {
                    c.subscribed = true;
                }
                Val::Nothing
            }
            (Val::Client(i), "assign" | "incremental_assign") => {
                self.args(frame, &m.args, "`assign`");
                if let Some(c) = self.constructions.get_mut(i) {
                    c.assigned = true;
                }
                Val::Nothing
            }
            (Val::Client(i), method)
                if PRODUCER_METHODS.contains(&method) || CONSUMER_METHODS.contains(&method) =>
            {
                // An untyped client is typed by how it is used.
                let kind = if PRODUCER_METHODS.contains(&method) {
                    ClientKind::Producer
                } else {
                    ClientKind::Consumer
                };
                if let Some(c) = self.constructions.get_mut(i) {
                    if c.kind == ClientKind::Unknown {
                        c.kind = kind;
                    }
                }
                self.args(frame, &m.args, &format!("`{method}`"));
                Val::Nothing
            }
            (Val::Client(i), method) if PASSTHROUGH.contains(&method) => {
                self.args(frame, &m.args, "an adapter");
                Val::Client(i)
            }
            (Val::Config(config, place), method) if PASSTHROUGH.contains(&method) => {
                self.args(frame, &m.args, "an adapter");
                Val::Config(config, place)
            }
            (Val::Nothing, "collect") if collects_client_config(self.index, frame.f.unit, m) => {
                let at = self.loc(frame, m.span());
                let mut config = Config::fresh(at);
                let source = match &*m.receiver {
                    Expr::MethodCall(inner)
                        if matches!(inner.method.to_string().as_str(), "into_iter" | "iter") =>
                    {
                        &*inner.receiver
                    }
                    other => other,
                };
                self.extend(frame, &mut config, source);
                Val::Config(config, None)
            }
            // `ClientConfig::create()` takes no argument, `create_with_context` one: other
            // `create`s (`OpenOptions::create(true)`) are not client creations.
            (Val::Nothing, "create" | "create_with_context")
                if m.args.len() == usize::from(name == "create_with_context") =>
            {
                let config = Config::opaque(Unseen {
                    reason: "where this config comes from".into(),
                    loc: self.loc(frame, m.receiver.span()),
                });
                self.create_call(frame, m, config)
            }
            (receiver, method) => {
                // `CELL.get_or_init(|| ..)`: the value the closure returns, made once.
                if let (
                    "get_or_init" | "get_or_try_init" | "get_or_insert_with",
                    Some(Expr::Closure(init)),
                ) = (method, m.args.first())
                {
                    return self.once(frame, init);
                }
                if let Some(helper) = self
                    .typed_helper(frame, m)
                    .or_else(|| self.method_helper(frame, &m.receiver, method))
                {
                    let start = self.loc(frame, m.method.span());
                    let end = self.loc(frame, m.paren_token.span.close()).span.end;
                    let call = CallSite {
                        loc: Loc {
                            file: start.file,
                            span: start.span.start..end,
                        },
                        turbofish: m.turbofish.as_ref(),
                    };
                    return self.apply_helper(
                        frame,
                        helper,
                        Some((receiver, &*m.receiver)),
                        &m.args,
                        &call,
                    );
                }
                self.args(frame, &m.args, &format!("`{method}`"));
                match receiver {
                    // Reading a config changes nothing.
                    Val::Config(..)
                        if matches!(
                            method,
                            "get" | "config_map" | "create_native_config" | "ptr"
                        ) =>
                    {
                        Val::Nothing
                    }
                    // Anything else may set keys: an rdkafka method this tool does not model,
                    // or an extension trait from another crate.
                    Val::Config(mut config, place) => {
                        config.make_opaque(Unseen {
                            reason: format!("`{method}`, which is not a method this tool knows"),
                            loc: self.loc(frame, m.method.span()),
                        });
                        Self::write_back(frame, place.as_ref(), &config);
                        Val::Config(config, place)
                    }
                    _ => Val::Nothing,
                }
            }
        }
    }

    /// `.create()` / `.create_with_context(ctx)`: a construction typed by the turbofish
    /// (`create::<T>()`, `create_with_context::<C, T>()`), or later from where it is stored.
    fn create_call<'e>(
        &mut self,
        frame: &Frame<'a>,
        m: &'e syn::ExprMethodCall,
        config: Config,
    ) -> Val {
        let generic = usize::from(m.method == "create_with_context");
        let ty = m.turbofish.as_ref().and_then(|t| {
            t.args
                .iter()
                .filter_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .nth(generic)
        });
        let kind = ty.map_or(ClientKind::Unknown, |t| {
            types::classify(self.index, frame.f.unit, t)
        });
        let type_name = ty.and_then(type_name);
        let start = self.loc(frame, m.method.span());
        let end = self.loc(frame, m.paren_token.span.close()).span.end;
        let loc = Loc {
            file: start.file,
            span: start.span.start..end,
        };
        Val::Client(self.record(frame, loc, config, kind, type_name))
    }

    /// The env key an expression reads, directly or through a local binding.
    fn env_ref(&self, frame: &Frame<'a>, expr: &Expr) -> Option<EnvRef> {
        let cx = bind::Cx {
            index: self.index,
            unit: frame.f.unit,
        };
        let local = |name: &str| match frame.vars.get(name) {
            Some(Binding::Env(r)) => Some(r.clone()),
            _ => None,
        };
        bind::env_ref(&cx, expr, &local)
    }

    fn write_back(frame: &mut Frame<'_>, place: Option<&String>, config: &Config) {
        if let Some(place) = place {
            frame
                .vars
                .insert(place.clone(), Binding::Config(config.clone()));
        }
    }

    /// `extend` / `from_iter` / `collect` over literal `(key, value)` pairs; anything else
    /// makes the config unseen.
    fn extend<'e>(&mut self, frame: &mut Frame<'a>, config: &mut Config, source: &'e Expr) {
        let elems: Option<Vec<&'e Expr>> = match source {
            Expr::Array(a) => Some(a.elems.iter().collect()),
            Expr::Reference(r) => match &*r.expr {
                Expr::Array(a) => Some(a.elems.iter().collect()),
                _ => None,
            },
            _ => None,
        };
        let pairs = elems.and_then(|elems| {
            elems
                .into_iter()
                .map(|e| match e {
                    Expr::Tuple(t) if t.elems.len() == 2 => {
                        let key = eval_text(self.index, &t.elems[0])?;
                        Some((
                            key,
                            eval_text(self.index, &t.elems[1]),
                            &t.elems[0],
                            &t.elems[1],
                        ))
                    }
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
        });
        match pairs {
            Some(pairs) => {
                for (key, value, key_expr, expr) in pairs {
                    let loc = self.loc(frame, expr.span());
                    let key_loc = self.loc(frame, key_expr.span());
                    config.keys.insert(
                        key,
                        KeyState::Set {
                            value,
                            loc,
                            key: key_loc,
                            env: None,
                        },
                    );
                }
            }
            None => config.make_opaque(Unseen {
                reason: "the pairs this config is built from".into(),
                loc: self.loc(frame, source.span()),
            }),
        }
    }

    /// The config an expression passed to `from_config` holds; unseen when it is not tracked.
    fn config_of<'e>(&mut self, frame: &mut Frame<'a>, arg: Option<&'e Expr>, at: Span) -> Config {
        match arg.map(|a| (a, self.expr(frame, a))) {
            Some((_, Val::Config(config, _))) => config,
            Some((a, _)) => Config::opaque(Unseen {
                reason: "where this config comes from".into(),
                loc: self.loc(frame, a.span()),
            }),
            None => Config::opaque(Unseen {
                reason: "the config of this call".into(),
                loc: self.loc(frame, at),
            }),
        }
    }

    fn construct(
        &mut self,
        frame: &Frame<'a>,
        at: Span,
        config: Config,
        kind: ClientKind,
        name: Option<String>,
    ) -> usize {
        let loc = self.loc(frame, at);
        self.record(frame, loc, config, kind, name)
    }

    /// Records a client creation (only in recording runs; summary runs return a placeholder
    /// index that refers to nothing).
    fn record(
        &mut self,
        frame: &Frame<'a>,
        loc: Loc,
        config: Config,
        kind: ClientKind,
        name: Option<String>,
    ) -> usize {
        if !frame.recording {
            return usize::MAX;
        }
        let (loc, created_in) = match &frame.call_site {
            Some(call) => (call.clone(), Some((loc, frame.f.sig.ident.to_string()))),
            None => (loc, None),
        };
        self.constructions.push(Construction {
            loc,
            config,
            kind,
            type_name: name,
            subscribed: false,
            assigned: false,
            created_in,
            root: frame.root,
        });
        self.constructions.len() - 1
    }

    /// Types a construction from a type written somewhere (a `let` annotation, a return type,
    /// a struct field), unless the construction already knows its type.
    fn type_from(&mut self, i: usize, unit: usize, ty: Option<&Type>) {
        let Some(ty) = ty else { return };
        let kind = types::classify(self.index, unit, ty);
        if let Some(c) = self.constructions.get_mut(i) {
            if c.kind == ClientKind::Unknown && kind != ClientKind::Unknown {
                c.kind = kind;
                c.type_name = type_name(types::unwrapped(ty));
            }
        }
    }

    /// What a method called on a client stored in a field of `self` (`self.consumer
    /// .subscribe(..)`, `self.consumer.lock().await.assign(..)`) says about that client,
    /// wherever it was created.
    fn field_use(&mut self, frame: &Frame<'a>, receiver: &Expr, method: &str) {
        let use_ = match method {
            "subscribe" => FieldUse {
                subscribed: true,
                ..FieldUse::default()
            },
            "assign" | "incremental_assign" => FieldUse {
                assigned: true,
                ..FieldUse::default()
            },
            m if PRODUCER_METHODS.contains(&m) => FieldUse {
                kind: Some(ClientKind::Producer),
                ..FieldUse::default()
            },
            m if CONSUMER_METHODS.contains(&m) => FieldUse {
                kind: Some(ClientKind::Consumer),
                ..FieldUse::default()
            },
            _ => return,
        };
        let Some(field) = self_field(receiver) else {
            return;
        };
        let Some(owner) = frame.f.self_ty.and_then(bare_name) else {
            return;
        };
        let seen = self.field_uses.entry((owner, field)).or_default();
        seen.subscribed |= use_.subscribed;
        seen.assigned |= use_.assigned;
        seen.kind = seen.kind.or(use_.kind);
    }

    fn type_from_field(&mut self, frame: &Frame<'a>, i: usize, owner: &str, field: &str) {
        let owner = if owner == "Self" {
            frame.f.self_ty.and_then(bare_name)
        } else {
            Some(owner.to_owned())
        };
        let Some(owner) = owner else { return };
        if frame.recording {
            let clients = self
                .field_clients
                .entry((owner.clone(), field.to_owned()))
                .or_default();
            if !clients.contains(&i) {
                clients.push(i);
            }
        }
        let Some(fields) = self.index.struct_fields.get(&owner) else {
            return;
        };
        if let Some((_, unit, ty)) = fields.iter().find(|(name, _, _)| name == field) {
            self.type_from(i, *unit, Some(ty));
        }
    }

    /// `auth.apply(&mut config)` where the code names the type of `auth` (`Auth`) and hands
    /// the method a config it follows: that type's only method of the name that is a config
    /// helper, even where other types have methods of that name. (Only with a config handed:
    /// the caller then reads a config, so its body and file are read with the prefilter too.)
    fn typed_helper(&self, frame: &Frame<'a>, m: &syn::ExprMethodCall) -> Option<FnRef<'a>> {
        let Expr::Path(p) = peel_expr(&m.receiver) else {
            return None;
        };
        let ty = frame.types.get(&p.path.get_ident()?.to_string())?;
        let hands_config = m.args.iter().any(|arg| {
            matches!(peel_expr(arg), Expr::Path(p) if p.path.get_ident().is_some_and(|name| {
                matches!(frame.vars.get(&name.to_string()), Some(Binding::Config(_)))
            }))
        });
        if !hands_config {
            return None;
        }
        self.method_of(&m.method.to_string(), ty)
    }

    /// The one method helper of that name in `owner`'s `impl`s, when there is exactly one.
    fn method_of(&self, name: &str, owner: &str) -> Option<FnRef<'a>> {
        let mut mine = self
            .helpers
            .get(name)?
            .iter()
            .filter(|c| c.method && c.owner.as_deref() == Some(owner));
        match (mine.next(), mine.next()) {
            (Some(c), None) => Some(c.f),
            _ => None,
        }
    }

    /// The helper a method call `receiver.name()` resolves to: on `self`, the method of the
    /// caller's own `impl` first; else the one helper of that name, when every method of
    /// that name in the crate is a helper (a name that other types' methods share is a real
    /// ambiguity while the receiver's type is unknown).
    fn method_helper(&self, frame: &Frame<'a>, receiver: &Expr, name: &str) -> Option<FnRef<'a>> {
        let candidates = self.helpers.get(name)?;
        if matches!(receiver, Expr::Path(p) if p.path.is_ident("self")) {
            let own = frame.f.self_ty.and_then(bare_name);
            if let Some(f) = own.and_then(|own| self.method_of(name, &own)) {
                return Some(f);
            }
        }
        let methods = candidates.iter().filter(|c| c.method).count();
        if methods < self.index.method_counts.get(name).copied().unwrap_or(0) {
            return None;
        }
        self.helper(name, None, true)
    }

    /// The function or method of the crate that builds or edits a config that a call names:
    /// `x.name()` (a method; `path` is `None`), or `path::name()` / `name()` called from a
    /// function (`path`: the caller and the segments before the name). Several helpers of the
    /// same name are told apart as Rust does: by the `Self` type a path names, by the module a
    /// path or a `use` names (`helpers::base`, `use crate::a::config`), else by the caller's
    /// own module for a bare name. `None` when there is none, or a real ambiguity.
    fn helper(
        &self,
        name: &str,
        path: Option<(FnRef<'a>, &[String])>,
        method: bool,
    ) -> Option<FnRef<'a>> {
        if path.is_some_and(|(caller, segments)| self.calls_std(caller, segments, name)) {
            return None;
        }
        // A bare `name()` calls the caller's own module's `name` when it has one: that one
        // if it is a helper, else none (what the general lookup below decides, in one step).
        if let (Some((caller, [])), false) = (path, method) {
            let own = self
                .own_free
                .get(&(name.to_owned(), caller.unit))
                .into_iter()
                .flatten()
                .filter(|(f, _)| f.inline_mod == caller.inline_mod);
            let mut own = own.take(2);
            if let (Some((f, helper)), None) = (own.next(), own.next()) {
                if !self.unnamed_owner.contains(name) {
                    return helper.then_some(*f);
                }
            }
        }
        let owner = path.and_then(|(_, segments)| segments.last().map(String::as_str));
        // `Type::name()` calls an item of that type's `impl`, never a free function or another
        // type's (`Vec::new()` is no helper `new` of the crate); `Self` and aliases may stand
        // for any type. `name()` and `module::name()` never call an `impl`'s function.
        let typed =
            owner.filter(|o| super::scope::typed(o) && !self.index.aliases.contains_key(*o));
        let candidates: Vec<&Candidate<'a>> = self
            .helpers
            .get(name)?
            .iter()
            // `x.name()` calls methods; `path::name()` calls functions, or a method of the
            // type the path names (`Settings::name(&s)`).
            .filter(|c| {
                let owned_by_path = owner.is_some() && c.owner.as_deref() == owner;
                if method {
                    c.method
                } else if typed.is_some() {
                    owned_by_path
                } else if owner.is_none_or(|o| o.starts_with(|c: char| c.is_lowercase())) {
                    // `name()` and `module::name()` call free functions.
                    c.owner.is_none()
                } else {
                    !c.method || owned_by_path
                }
            })
            .collect();
        // A bare `name()` calls the caller's own module's `name` when it has one.
        if let Some((caller, [])) = path {
            let own = self.index.fns.get(name).into_iter().flatten().any(|f| {
                f.unit == caller.unit
                    && f.inline_mod == caller.inline_mod
                    && f.self_ty.is_none()
                    && !candidates.iter().any(|c| key(c.f) == key(*f))
            });
            if own {
                return None;
            }
        }
        if let [one] = candidates.as_slice() {
            return Some(one.f);
        }
        let only = |keep: &dyn Fn(&Candidate<'a>) -> bool| {
            let mut matching = candidates.iter().filter(|c| keep(c));
            match (matching.next(), matching.next()) {
                (Some(c), None) => Some(c.f),
                _ => None,
            }
        };
        if let Some(owner) = owner {
            if let Some(f) = only(&|c| c.owner.as_deref() == Some(owner)) {
                return Some(f);
            }
        }
        let (caller, segments) = path?;
        let unit = &self.index.units[caller.unit];
        let caller_module = self.index.module_of(&caller);
        let same_module =
            |c: &Candidate<'a>| c.f.unit == caller.unit && c.f.inline_mod == caller.inline_mod;
        if segments.is_empty() {
            // A bare name is first the caller's own module's item.
            if let Some(f) = only(&same_module) {
                return Some(f);
            }
        }
        // The module the call names: through the path, else through a `use` of the name.
        let named: Option<Vec<String>> = if segments.is_empty() {
            unit.uses
                .get(name)
                .map(|full| full[..full.len().saturating_sub(1)].to_vec())
        } else {
            Some(unit.expand(segments))
        };
        let named = named?;
        let target = match named
            .iter()
            .rev()
            .find(|s| *s != "self")
            .map(String::as_str)
        {
            None => caller_module,
            Some("crate") => None,
            Some("super") => return None,
            Some(module) => Some(module.to_owned()),
        };
        only(&|c| self.index.module_of(&c.f) == target)
    }

    /// Whether a call from `caller` through `segments` (or a bare `name()` through a `use`)
    /// names the standard library: `std::iter::once()`, or `once()` after
    /// `use std::iter::once;`, is never the crate's `once`.
    fn calls_std(&self, caller: FnRef<'a>, segments: &[String], name: &str) -> bool {
        let uses = &self.index.units[caller.unit].uses;
        let first = segments.first().map_or(name, String::as_str);
        let root = uses
            .get(first)
            .and_then(|full| full.first())
            .map_or(first, String::as_str);
        matches!(root, "std" | "core" | "alloc")
    }

    /// The crate's one `impl From<T> for ClientConfig` conversion, if it has exactly one.
    fn config_conversion(index: &CrateIndex<'a>) -> Option<FnRef<'a>> {
        let mut froms = index
            .fns
            .get("from")?
            .iter()
            .filter(|f| self_is_client_config(index, **f));
        match (froms.next(), froms.next()) {
            (Some(f), None) => Some(*f),
            _ => None,
        }
    }

    /// Whether a function creates a client, directly or through a helper it calls.
    fn creates(&self, f: FnRef<'a>) -> bool {
        self.creators.contains(&key(f))
    }

    /// A call of a helper evaluated with the caller's arguments. When the call passes
    /// something the analysis knows (a config, a client, a constant, an env value), the
    /// helper's body runs with those arguments, so each call site of a helper that creates a
    /// client yields its own clients, reported there with a label in the helper. Otherwise
    /// (or too deep, or recursive) a call of a creating helper shares the helper's own run and
    /// the client it returns. `None` when neither gives a client or a config: the call is then
    /// applied through the helper's summary. `constants`: whether some argument is a constant
    /// or an env value (computed by the caller).
    fn instantiate<'e>(
        &mut self,
        frame: &mut Frame<'a>,
        helper: FnRef<'a>,
        values: &HashMap<usize, (Val, &'e Expr)>,
        constants: bool,
        call: &CallSite<'e>,
    ) -> Option<Val> {
        let id = key(helper);
        let creates = frame.recording && self.creates(helper);
        let knows = constants
            || values
                .values()
                .any(|(value, _)| !matches!(value, Val::Nothing));
        if !knows
            || frame.depth >= MAX_CALL_DEPTH
            || self.instances >= MAX_INSTANCES
            || self.instantiating.contains(&id)
        {
            if !creates {
                return None;
            }
            self.shared.insert(id);
            return self.root(helper).map(Val::Client);
        }
        let mut inner = Frame {
            f: helper,
            vars: HashMap::new(),
            types: param_types(helper),
            returned: Vec::new(),
            recording: frame.recording,
            root: frame.root,
            call_site: Some(frame.call_site.clone().unwrap_or_else(|| call.loc.clone())),
            depth: frame.depth + 1,
        };
        let mut write_back = Vec::new();
        for (n, input) in helper.sig.inputs.iter().enumerate() {
            let name = match input {
                FnArg::Receiver(_) => "self".to_owned(),
                FnArg::Typed(pt) => match pat_ident(&pt.pat) {
                    Some(name) => name,
                    None => continue,
                },
            };
            let config_param = self.config_param(helper, input);
            let binding = match values.get(&n) {
                Some((Val::Config(config, place), _)) => {
                    if let (Some((_, _, true)), Some(place)) = (&config_param, place) {
                        write_back.push((name.clone(), place.clone()));
                    }
                    Some(Binding::Config(config.clone()))
                }
                Some((Val::Client(i), _)) => Some(Binding::Client(*i)),
                Some((Val::Nothing, arg)) => self
                    .env_ref(frame, arg)
                    .map(Binding::Env)
                    .or_else(|| self.lit(frame, arg).map(Binding::Lit))
                    .or_else(|| {
                        config_param.as_ref().map(|_| {
                            Binding::Config(Config::opaque(Unseen {
                                reason: "where the config passed here comes from".into(),
                                loc: self.loc(frame, arg.span()),
                            }))
                        })
                    }),
                None => config_param.as_ref().map(|(_, span, _)| {
                    Binding::Config(Config::opaque(Unseen {
                        reason: format!(
                            "the callers of `{}`, which pass the config in",
                            helper.sig.ident
                        ),
                        loc: self.loc(&inner, *span),
                    }))
                }),
            };
            if let Some(binding) = binding {
                inner.vars.insert(name, binding);
            }
        }
        self.instances += 1;
        self.instantiating.insert(id);
        let (returns, client) = self.finish(&mut inner);
        self.instantiating.remove(&id);
        if creates {
            self.instantiated.insert(id);
        }
        for (name, place) in write_back {
            if let Some(Binding::Config(config)) = inner.vars.get(&name) {
                frame.vars.insert(place, Binding::Config(config.clone()));
            }
        }
        if let Some(i) = client {
            // `fn new_consumer<T: FromClientConfig>(..) -> Result<T>` called as
            // `new_consumer::<StreamConsumer>(..)`.
            let ty = generic_return(helper.sig).and_then(|pos| {
                call.turbofish?
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .nth(pos)
            });
            self.type_from(i, frame.f.unit, ty);
            return Some(Val::Client(i));
        }
        Some(returns.map_or(Val::Nothing, |config| Val::Config(config, None)))
    }

    /// The constant an argument holds: a literal or constant of the crate, `Some(..)` of one,
    /// `None`, or a parameter bound to one.
    fn lit(&self, frame: &Frame<'a>, arg: &Expr) -> Option<Lit> {
        let arg = peel_expr(arg);
        if let Some(text) = eval_text(self.index, arg) {
            return Some(Lit::Text(text, self.loc(frame, arg.span())));
        }
        match arg {
            Expr::Path(p) if p.path.is_ident("None") => Some(Lit::None),
            Expr::Path(p) => match frame.vars.get(&p.path.get_ident()?.to_string()) {
                Some(Binding::Lit(lit)) => Some(lit.clone()),
                _ => None,
            },
            Expr::Call(c)
                if c.args.len() == 1
                    && matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Some")) =>
            {
                match self.lit(frame, &c.args[0]) {
                    Some(Lit::Text(text, loc)) => Some(Lit::Some(text, loc)),
                    // `Some(group_id)`: which branch runs is known, the value is not.
                    None | Some(Lit::Unknown) => Some(Lit::SomeUnknown),
                    Some(Lit::Some(..) | Lit::SomeUnknown | Lit::None) => None,
                }
            }
            _ => None,
        }
    }

    /// `if let Some(g) = group_id` where the caller passed `Some("orders")` or `None`:
    /// whether the branch runs, and the name it binds with its value.
    fn known_branch(frame: &Frame<'a>, cond: &Expr) -> Option<(bool, Option<(String, Lit)>)> {
        let Expr::Let(l) = cond else { return None };
        Self::known_match(frame, &l.pat, &l.expr)
    }

    /// Whether `pat` matches the value a caller's constant gives `scrutinee` (`Some(g)`,
    /// `None`, `_`), and the name it binds with its value; `None` when that is not known.
    fn known_match(
        frame: &Frame<'a>,
        pat: &Pat,
        scrutinee: &Expr,
    ) -> Option<(bool, Option<(String, Lit)>)> {
        let Expr::Path(p) = peel_expr(scrutinee) else {
            return None;
        };
        let Binding::Lit(lit) = frame.vars.get(&p.path.get_ident()?.to_string())? else {
            return None;
        };
        let is_none = |path: &syn::Path| path.is_ident("None");
        match (pat, lit) {
            (Pat::Wild(_), _) => Some((true, None)),
            // Not even known to be an `Option`.
            (_, Lit::Unknown) => None,
            (Pat::Ident(i), _) if i.ident == "None" => Some((matches!(lit, Lit::None), None)),
            (Pat::Path(p), _) if is_none(&p.path) => Some((matches!(lit, Lit::None), None)),
            (Pat::TupleStruct(ts), Lit::None) if ts.path.is_ident("Some") => Some((false, None)),
            (Pat::TupleStruct(ts), Lit::Some(text, loc))
                if ts.path.is_ident("Some") && ts.elems.len() == 1 =>
            {
                let name = pat_ident(&ts.elems[0]);
                Some((
                    true,
                    name.map(|n| (n, Lit::Text(text.clone(), loc.clone()))),
                ))
            }
            (Pat::TupleStruct(ts), Lit::SomeUnknown)
                if ts.path.is_ident("Some") && ts.elems.len() == 1 =>
            {
                let name = pat_ident(&ts.elems[0]);
                Some((true, name.map(|n| (n, Lit::Unknown))))
            }
            _ => None,
        }
    }

    /// A call of a helper: its returned config (overlaid on the argument it was built from)
    /// and its edits of `&mut` parameters.
    fn apply_helper<'e>(
        &mut self,
        frame: &mut Frame<'a>,
        helper: FnRef<'a>,
        receiver: Option<(Val, &'e Expr)>,
        args: &'e Punctuated<Expr, syn::Token![,]>,
        call: &CallSite<'e>,
    ) -> Val {
        // Parameter numbers count the receiver of a method.
        let offset = usize::from(helper.sig.receiver().is_some() && receiver.is_some());
        let mut values: HashMap<usize, (Val, &'e Expr)> = HashMap::new();
        if let (Some(receiver), 1) = (receiver, offset) {
            values.insert(0, receiver);
        }
        for (n, arg) in args.iter().enumerate() {
            values.insert(n + offset, (self.expr(frame, arg), arg));
        }
        // A helper that creates a client, or one given a constant or an env value (which
        // its summary cannot use: `if let Some(o) = overrides` given `None`), is evaluated
        // with the caller's arguments.
        let constants = values.values().any(|(value, arg)| {
            matches!(value, Val::Nothing)
                && (self.env_ref(frame, arg).is_some() || self.lit(frame, arg).is_some())
        });
        if (frame.recording && self.creates(helper)) || constants {
            if let Some(value) = self.instantiate(frame, helper, &values, constants, call) {
                return value;
            }
        }
        let Some(summary) = self.summary(helper) else {
            return self.args(frame, args, &format!("`{}`", helper.sig.ident));
        };
        for (n, edits) in &summary.params {
            if let Some((Val::Config(config, Some(place)), _)) = values.get(n) {
                let updated = config.overlay(edits);
                frame.vars.insert(place.clone(), Binding::Config(updated));
            }
        }
        match summary.returns {
            Some(returned) => match returned.base {
                Base::Param(n) => match values.get(&n) {
                    Some((Val::Config(config, _), _)) => {
                        Val::Config(config.overlay(&returned), None)
                    }
                    Some((_, arg)) => Val::Config(
                        Config::opaque(Unseen {
                            reason: "where the config passed here comes from".into(),
                            loc: self.loc(frame, arg.span()),
                        }),
                        None,
                    ),
                    None => Val::Nothing,
                },
                Base::Fresh => Val::Config(returned, None),
            },
            None => Val::Nothing,
        }
    }
}

/// Macros of the standard library, `log` and `tracing` that take their arguments by
/// reference (formatting, comparing, logging): a config given to them stays known.
const FORMATTING_MACROS: [&str; 32] = [
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "write",
    "writeln",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "log",
    "event",
    "span",
    "trace_span",
    "debug_span",
    "info_span",
    "warn_span",
    "error_span",
];

fn merge_vars(
    a: &HashMap<String, Binding>,
    b: &HashMap<String, Binding>,
    at: &Loc,
) -> HashMap<String, Binding> {
    let mut out = HashMap::new();
    for (name, binding) in a {
        match (binding, b.get(name)) {
            (Binding::Config(x), Some(Binding::Config(y))) => {
                out.insert(name.clone(), Binding::Config(x.merge(y, at)));
            }
            (Binding::Client(x), Some(Binding::Client(y))) if x == y => {
                out.insert(name.clone(), Binding::Client(*x));
            }
            (Binding::Env(x), Some(Binding::Env(y))) if x == y => {
                out.insert(name.clone(), Binding::Env(x.clone()));
            }
            _ => {}
        }
    }
    out
}

fn merge_vals(first: Val, second: Val, at: &Loc) -> Val {
    match (first, second) {
        (Val::Config(one, place), Val::Config(other, other_place)) => {
            let place = if place == other_place { place } else { None };
            Val::Config(one.merge(&other, at), place)
        }
        (Val::Config(config, place), Val::Nothing) | (Val::Nothing, Val::Config(config, place)) => {
            Val::Config(config, place)
        }
        (Val::Client(one), Val::Client(other)) if one == other => Val::Client(one),
        (Val::Client(client), Val::Nothing) | (Val::Nothing, Val::Client(client)) => {
            Val::Client(client)
        }
        _ => Val::Nothing,
    }
}

/// Whether a function returns a config or edits one passed as `&mut`.
fn is_config_helper(index: &CrateIndex<'_>, f: FnRef<'_>) -> bool {
    let returns = sig_return(f.sig).is_some_and(|t| types::is_client_config(index, f.unit, t));
    let extends = f.sig.receiver().is_some() && self_is_client_config(index, f);
    returns
        || extends
        || f.sig.inputs.iter().any(|input| match input {
            FnArg::Typed(pt) => {
                matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_some())
                    && types::is_client_config(index, f.unit, &pt.ty)
            }
            FnArg::Receiver(_) => false,
        })
}

/// A method of an `impl .. for ClientConfig` block (an extension trait of the crate).
fn self_is_client_config(index: &CrateIndex<'_>, f: FnRef<'_>) -> bool {
    f.self_ty
        .is_some_and(|t| types::is_client_config(index, f.unit, t))
}

/// `.collect::<ClientConfig>()`.
fn collects_client_config(index: &CrateIndex<'_>, unit: usize, m: &syn::ExprMethodCall) -> bool {
    m.turbofish.as_ref().is_some_and(|t| {
        t.args.iter().any(|a| matches!(a, syn::GenericArgument::Type(t) if types::is_client_config(index, unit, t)))
    })
}

fn sig_return(sig: &syn::Signature) -> Option<&Type> {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => Some(ty),
        syn::ReturnType::Default => None,
    }
}

/// Every name a pattern binds (`(k, v)`, `Some(x)`, `&cfg`, `Point { x, .. }`).
fn pat_names(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident(p) => {
            out.push(p.ident.to_string());
            if let Some((_, sub)) = &p.subpat {
                pat_names(sub, out);
            }
        }
        Pat::Type(p) => pat_names(&p.pat, out),
        Pat::Reference(p) => pat_names(&p.pat, out),
        Pat::Paren(p) => pat_names(&p.pat, out),
        Pat::Tuple(p) => p.elems.iter().for_each(|e| pat_names(e, out)),
        Pat::TupleStruct(p) => p.elems.iter().for_each(|e| pat_names(e, out)),
        Pat::Slice(p) => p.elems.iter().for_each(|e| pat_names(e, out)),
        Pat::Or(p) => p.cases.iter().for_each(|e| pat_names(e, out)),
        Pat::Struct(p) => p.fields.iter().for_each(|f| pat_names(&f.pat, out)),
        _ => {}
    }
}

fn pat_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) => Some(p.ident.to_string()),
        Pat::Type(p) => pat_ident(&p.pat),
        _ => None,
    }
}

/// The last path segment of a type without generics: how items are named (`Ledger`).
pub(super) fn bare_name(ty: &Type) -> Option<String> {
    match types::peel(ty) {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The types of a function's parameters that name one (`auth: &Auth` → `Auth`), by name.
fn param_types(f: FnRef<'_>) -> HashMap<String, String> {
    f.sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(pt) => Some((pat_ident(&pt.pat)?, bare_name(&pt.ty)?)),
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The type a `let` names for its binding: by annotation (`let a: Auth = ..`), or by the
/// struct literal it is given (`let a = Auth { .. }`; `Self { .. }` in an `impl`).
fn local_type(f: FnRef<'_>, pat: &Pat, init: &Expr) -> Option<String> {
    if let Pat::Type(pt) = pat {
        return bare_name(&pt.ty);
    }
    match peel_expr(init) {
        Expr::Struct(s) => {
            let last = s.path.segments.last()?.ident.to_string();
            if last == "Self" {
                f.self_ty.and_then(bare_name)
            } else {
                Some(last)
            }
        }
        _ => None,
    }
}

/// The last path segment of a type with its generics, for messages (`StreamConsumer<Ctx>`).
pub(crate) fn type_name(ty: &Type) -> Option<String> {
    match types::peel(ty) {
        Type::Path(p) => {
            let last = p.path.segments.last()?;
            let args = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => {
                    let inner: Vec<String> = a.args.iter().map(quote_compact).collect();
                    format!("<{}>", inner.join(", "))
                }
                _ => String::new(),
            };
            Some(format!("{}{args}", last.ident))
        }
        Type::Infer(_) => Some("_".into()),
        _ => None,
    }
}

fn quote_compact(arg: &syn::GenericArgument) -> String {
    match arg {
        syn::GenericArgument::Type(t) => type_name(t).unwrap_or_else(|| "_".into()),
        syn::GenericArgument::Lifetime(l) => format!("'{}", l.ident),
        _ => "_".into(),
    }
}

/// The direct sub-expressions of an expression (nested items excluded).
fn children(expr: &Expr) -> Vec<&Expr> {
    struct Children<'e>(Vec<&'e Expr>);
    impl<'e> Visit<'e> for Children<'e> {
        fn visit_expr(&mut self, e: &'e Expr) {
            self.0.push(e);
        }
        fn visit_item(&mut self, _: &'e syn::Item) {}
    }
    let mut c = Children(Vec::new());
    syn::visit::visit_expr(&mut c, expr);
    c.0
}

/// The field of `self` an expression reaches, through references, locks, awaits and the
/// adapters that hand back what they hold (`self.consumer`, `&self.consumer`,
/// `self.consumer.lock().await`, `self.consumer.as_ref().unwrap()`).
fn self_field(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Reference(r) => self_field(&r.expr),
        Expr::Paren(p) => self_field(&p.expr),
        Expr::Group(g) => self_field(&g.expr),
        Expr::Await(a) => self_field(&a.base),
        Expr::Try(t) => self_field(&t.expr),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "lock"
                    | "read"
                    | "write"
                    | "borrow"
                    | "borrow_mut"
                    | "as_ref"
                    | "as_mut"
                    | "clone"
                    | "unwrap"
                    | "expect"
                    | "get"
                    | "deref"
            ) =>
        {
            self_field(&m.receiver)
        }
        Expr::Field(f) => match (&*f.base, &f.member) {
            (Expr::Path(p), syn::Member::Named(name)) if p.path.is_ident("self") => {
                Some(name.to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

/// One arm of `select!`: `pattern = future [, if condition] => body`, or `else => body`.
pub(super) struct SelectArm {
    pub future: Option<Expr>,
    pub condition: Option<Expr>,
    pub body: Expr,
}

/// The body of `tokio::select!` / `futures::select!`.
pub(super) fn select_arms(input: syn::parse::ParseStream<'_>) -> syn::Result<Vec<SelectArm>> {
    let mut arms = Vec::new();
    if input.peek(syn::Ident) && input.peek2(syn::Token![;]) {
        input.parse::<syn::Ident>()?; // `biased;`
        input.parse::<syn::Token![;]>()?;
    }
    while !input.is_empty() {
        let (future, condition) = if input.peek(syn::Token![else]) {
            input.parse::<syn::Token![else]>()?;
            (None, None)
        } else {
            Pat::parse_multi_with_leading_vert(input)?;
            input.parse::<syn::Token![=]>()?;
            let future = input.call(Expr::parse_without_eager_brace)?;
            let condition = if input.peek(syn::Token![,]) && input.peek2(syn::Token![if]) {
                input.parse::<syn::Token![,]>()?;
                input.parse::<syn::Token![if]>()?;
                Some(input.call(Expr::parse_without_eager_brace)?)
            } else {
                None
            };
            (Some(future), condition)
        };
        input.parse::<syn::Token![=>]>()?;
        let body: Expr = input.parse()?;
        // A block body needs no comma after it.
        if input.peek(syn::Token![,]) || !matches!(body, Expr::Block(_)) && !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
        arms.push(SelectArm {
            future,
            condition,
            body,
        });
    }
    Ok(arms)
}

/// An expression under references, parentheses and invisible groups.
fn peel_expr(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => peel_expr(&r.expr),
        Expr::Paren(p) => peel_expr(&p.expr),
        Expr::Group(g) => peel_expr(&g.expr),
        other => other,
    }
}

/// The position, among a function's type parameters, of the one it returns (`T` of
/// `fn f<T: FromClientConfig>() -> Result<T, E>`).
fn generic_return(sig: &syn::Signature) -> Option<usize> {
    let Type::Path(p) = types::unwrapped(sig_return(sig)?) else {
        return None;
    };
    let name = p.path.get_ident()?;
    sig.generics.type_params().position(|t| t.ident == *name)
}

#[cfg(test)]
mod tests {
    use super::MAX_INSTANCES;

    /// Past the budget, calls share the helper's own run: every call is still a client (none
    /// is dropped), and the work stops growing.
    #[test]
    fn helper_evaluations_stop_at_the_budget() {
        use std::fmt::Write as _;
        let calls = MAX_INSTANCES + 50;
        let mut text = String::from(
            "use rdkafka::config::ClientConfig;\nuse rdkafka::consumer::StreamConsumer;\n\
             fn make(group: &str) -> StreamConsumer {\n    \
             ClientConfig::new().set(\"group.id\", group).create().unwrap()\n}\nfn main() {\n",
        );
        for n in 0..calls {
            let _ = writeln!(text, "    let _ = make(\"g{n}\");");
        }
        text.push_str("}\n");
        let mut files = crate::source::Files::default();
        let id = files.add(crate::source::SourceFile::new(
            "a.rs".into(),
            "a.rs".into(),
            text,
        ));
        let facts = crate::rust::analyze_sources(&[(id, files.get(id).text.as_str())]);
        let at_calls = facts
            .constructions
            .iter()
            .filter(|c| c.created_in.is_some())
            .count();
        // One client per evaluated call, and the helper's own run for the rest.
        assert_eq!(
            (at_calls, facts.constructions.len()),
            (MAX_INSTANCES, MAX_INSTANCES + 1)
        );
    }
}
