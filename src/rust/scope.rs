//! Which files of a crate the analysis needs, decided from cheap per-file facts before any
//! file is parsed with syn.
//!
//! A crate that uses rdkafka is often a large one (a data pipeline with one Kafka source among
//! hundreds of modules), and parsing it whole costs more than all the rest of a run. The flow
//! analysis ([`super::flow`]) only ever starts from code that touches the rdkafka API, and
//! looks other code up by name. So the files it needs are a closure:
//!
//! - **Seeds**: files that can create or configure a client by themselves: they name an
//!   rdkafka client or config type or `rdkafka` itself, call `.create()` /
//!   `.create_with_context(..)`, or carry a suppression comment. A file calling `from_config`
//!   is parsed, and becomes a seed when that call creates a client (`TlsSettings::from_config`
//!   of another crate does not).
//! - **Definitions** (forward): the definer a needed file's words reach, as the index keeps
//!   it: the first file defining a constant, static, alias, settings field or function, the
//!   last defining a struct or macro, every `impl Default` of a struct; a field only when the
//!   crate loads settings from the environment or the field has an env attribute; a function
//!   only where an attribute string names it (`#[serde(default = "default_timeout")]`). A
//!   definition brings the words of its own text, not of its file. Enums, unions and traits
//!   are only asked about by name, which the facts of every file answer. A file needed for
//!   definitions alone (not a seed, nor reached by the uses below) is parsed with its `use`s
//!   and the items holding those definitions (and, when it calls `from_config`, the items
//!   holding bodies the analysis may read, and its aliases and macros); its other items are
//!   blanked ([`Live::blank`], [`Partial`]).
//! - **Uses** (reverse): a file that calls a config helper or creator of the parsed files in a
//!   shape the analysis would resolve to it (`name()` where the file has no `name` of its own,
//!   `x.name()` where every method of that name is a helper, `Type::name()`), invokes one of
//!   their client-creating macros, names one of their aliases of rdkafka types, writes an
//!   `impl` of one of their client-holding structs, or holds a creator. Which functions those
//!   are is known only once the files are parsed, so the closure grows in rounds until
//!   nothing is added.
//!
//! What the index reads from every file (type names, how many methods share a name, which
//! file first defines a field, whether settings come from the environment) comes from the
//! facts of all files. Files outside the closure cannot add, drop or change a client, and are
//! not parsed (`--no-prefilter` parses them all and must print the same).
//!
//! Before the closure, [`super::parts`] splits the crate into parts that the closure and the
//! analysis can never connect; each part has a closure of its own and is parsed, analysed and
//! dropped on its own.

use std::collections::{HashMap, HashSet};

use crate::rust::lex::{
    memchr_from, raw_string_start, skip_block_comment, skip_char_or_lifetime, skip_raw_string,
    skip_string,
};

/// Identifiers that make a file a seed: rdkafka's crate name, its config and client types and
/// the traits and constructors that create clients from a config.
const SEED_IDENTS: [&str; 12] = [
    "rdkafka",
    "ClientConfig",
    "StreamConsumer",
    "BaseConsumer",
    "FutureProducer",
    "BaseProducer",
    "ThreadedProducer",
    "AdminClient",
    "FromClientConfig",
    "FromClientConfigAndContext",
    "create_with_context",
    "RDKafkaLogLevel",
];

/// Identifiers of calls that create a client only when the type they are called on is not
/// another crate's (`TlsSettings::from_config(..)`): a file naming one is parsed, and is a
/// seed when [`super::flow::creates_in`] finds such a call.
const MAYBE_SEED_IDENTS: [&str; 2] = ["from_config", "from_config_and_context"];

/// Names of crates and items that load a settings struct from the environment (see
/// `index::loads_env`): a file naming one is parsed for that flag alone.
const ENV_LOADER_IDENTS: [&str; 7] = [
    "envy",
    "envconfig",
    "serde_env",
    "envious",
    "Envconfig",
    "Environment",
    "Env",
];

/// What a definition is, for how the closure looks it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum DefKind {
    /// A struct (its fields and their types are looked up).
    Struct,
    /// A type alias (resolved through).
    Alias,
    /// A constant or static (evaluated).
    Const,
    /// An enum, union or trait: the index only asks whether the crate defines the name,
    /// which [`Facts::local_types`] answers for every file, parsed or not.
    Type,
    /// A named field of a struct (settings fields are looked up by name).
    Field,
    /// A `macro_rules!` macro.
    Macro,
    /// An `impl Default` block for the named type (its field defaults).
    DefaultImpl,
    /// Another `impl` block for the named type.
    Impl,
    /// A function (looked up only by the words of string literals).
    Fn,
}

/// One definition: its name and the words of its text (indexes into [`Facts::words`]), which
/// become needed when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Def {
    pub name: u32,
    pub kind: DefKind,
    /// Identifiers of its code.
    pub code: Vec<u32>,
    /// Identifier-like words of its string literals.
    pub strings: Vec<u32>,
    /// A field with an env attribute (`#[arg(env)]`, `#[envconfig(..)]`).
    pub env: bool,
    /// For a function or constant: the calls its code makes, by shape; for a macro, every
    /// identifier of its body as a bare call.
    pub calls: Vec<Shape>,
    /// For a function: it has a body (not a declaration in a trait).
    pub body: bool,
    /// For a function with a body: it takes `self`.
    pub method: bool,
    /// For a function in an `impl`: the type it is for.
    pub owner: Option<u32>,
    /// Where the keyword that defines it starts (a field's: its struct's), as a byte offset.
    pub at: u32,
}

/// A call, by name and shape, as the analysis resolves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Shape {
    /// `name(..)`.
    Bare(u32),
    /// `x.name(..)`; `true` for `self.name(..)`.
    Method(u32, bool),
    /// `Owner::name(..)` (the last two segments of a path).
    Owned(u32, u32),
}

impl Def {
    /// A definition that brings nothing else in.
    fn named(name: u32, kind: DefKind) -> Def {
        Def {
            name,
            kind,
            code: Vec::new(),
            strings: Vec::new(),
            env: false,
            calls: Vec::new(),
            body: false,
            method: false,
            owner: None,
            at: 0,
        }
    }
}

/// What the lexer sees of one file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The file can create or configure a client by itself.
    pub seed: bool,
    /// It calls `from_config`: parsed, and a seed if the type is not another crate's.
    pub maybe_seed: bool,
    /// The file names an env loader.
    pub env_loader: bool,
    /// Every word of the file, once: identifiers and the words of string literals.
    pub words: Vec<String>,
    /// Which of [`Facts::words`] occur in code (the others only in strings).
    pub in_code: Vec<bool>,
    /// Which occur in string literals.
    pub in_strings: Vec<bool>,
    /// Which are called as methods (`.name`).
    pub methods: Vec<bool>,
    /// Which are called as functions (`name(`, `path::name(`, `name::<T>(`).
    pub calls: Vec<bool>,
    /// Two-segment paths (`Type::name`), as pairs of words.
    pub paths: Vec<(u32, u32)>,
    pub defs: Vec<Def>,
    /// Structs, enums, unions and traits defined at module level (as the index collects
    /// them), by name.
    pub local_types: Vec<String>,
    /// Names of the functions taking `self` it defines, once per definition.
    pub self_fns: Vec<String>,
    /// Free functions at the file's top level, by name; `None` when it has an inline
    /// `mod name { .. }`.
    pub own_fns: Option<Vec<String>>,
    /// Names a `use` item gives what it imports, with the imported name (`use a::make as
    /// mk;`: `(make, mk)`).
    pub renamed: Vec<(u32, u32)>,
    /// Words of the strings an attribute gives as `default = ".."` (a function's path).
    pub defaults: Vec<u32>,
    /// The bodies of the functions at module level and in `impl` and `trait` blocks.
    pub bodies: Vec<Body>,
    /// The items at module level (in inline modules too, which are not items here), in order:
    /// what a file read for its definitions alone keeps or blanks ([`Live::blank`]).
    pub items: Vec<ItemSpan>,
}

/// The part of a file the analysis reads when it does not read it whole ([`Closure::partial`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Partial {
    /// The definitions it is read for (indexes into [`Facts::defs`]).
    pub defs: Vec<usize>,
    /// Also every item holding a body the analysis may read (see [`Live::keeps`]), and the
    /// file's aliases and macros, which decide what its calls resolve to.
    pub live: bool,
}

/// An item at module level, by byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemSpan {
    /// Where the whitespace and comments before it start (its doc comments are there).
    pub gap: u32,
    /// From its first attribute to past its closing `}` or `;`.
    pub start: u32,
    pub end: u32,
    /// A `use`, `extern crate` or `mod name;`: kept wherever the file is parsed.
    pub kept: bool,
}

/// A function body, by byte offsets: what [`Live::blank`] may blank before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    /// The function's name (a word).
    pub name: u32,
    /// Where its `fn` is, and its body's braces.
    pub at: u32,
    pub open: u32,
    pub close: u32,
    /// The header of the `impl` it is in (from `impl` to the `{`).
    pub header: Option<(u32, u32)>,
    /// That `impl` may be an `impl Default` (whose bodies give field defaults).
    pub default_impl: bool,
}

/// An `impl` header: its type, its words, its bytes.
#[derive(Debug, Clone)]
struct Header {
    target: Option<u32>,
    words: Vec<u32>,
    range: (u32, u32),
}

impl Facts {
    pub(crate) fn word(&self, n: u32) -> &str {
        self.words.get(n as usize).map_or("", String::as_str)
    }

    /// A hash of what the file adds to the crate-wide facts (types, methods, fields, env
    /// loading, seeds) and of what it defines, by kind and name: the analysis reads the
    /// former from every file, parsed or not, and the closure chooses among the definers of a
    /// name by the latter.
    pub(crate) fn share(&self) -> u64 {
        let mut defined: Vec<(u8, &str)> = self
            .defs
            .iter()
            .map(|d| (d.kind as u8, self.word(d.name)))
            .collect();
        defined.sort_unstable();
        let mut self_fns: Vec<&str> = self.self_fns.iter().map(String::as_str).collect();
        self_fns.sort_unstable();
        crate::cache::hash_of(&(
            self.seed,
            self.maybe_seed,
            self.env_loader,
            &self.local_types,
            self_fns,
            defined,
        ))
    }

    /// Whether the file defines a function of that name (its bare calls of the name call
    /// it, not another module's helper).
    fn defines_fn(&self, name: &str) -> bool {
        // As `flow::Flow::helper` resolves a bare name: a free function of the caller's own
        // module (an inline `mod` would be another module: then nothing is assumed).
        self.own_fns.iter().flatten().any(|f| f == name)
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// A token the fact scan distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'t> {
    Ident(&'t str),
    /// A string literal, quotes included.
    Str(&'t str),
    Punct(u8),
}

/// The tokens of a file, and whether a comment speaks to this tool.
fn tokens(text: &str) -> (Vec<Tok<'_>>, bool) {
    let (toks, _, marked) = tokens_at(text);
    (toks, marked)
}

/// [`tokens`], with the byte offset each token starts at.
fn tokens_at(text: &str) -> (Vec<Tok<'_>>, Vec<u32>, bool) {
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(text.len() / 4);
    let mut starts: Vec<u32> = Vec::with_capacity(text.len() / 4);
    let mut marked = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let i0 = i;
        let count = toks.len();
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr_from(bytes, i, b'\n');
                marked |= crate::suppress::mentioned(&bytes[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = skip_block_comment(bytes, i);
                marked |= crate::suppress::mentioned(&bytes[i..end]);
                i = end;
            }
            b'"' => {
                let end = skip_string(bytes, i + 1);
                toks.push(Tok::Str(text.get(i..end).unwrap_or("")));
                i = end;
            }
            b'\'' => {
                i = skip_char_or_lifetime(bytes, i);
                // A lifetime or label (`'static`, `'a`) is no identifier.
                if i == i0 + 1 {
                    while i < bytes.len() && is_ident_byte(bytes[i]) {
                        i += 1;
                    }
                }
            }
            b'r' | b'b' | b'c' if raw_string_start(bytes, i).is_some() => {
                let (hashes, quote) = raw_string_start(bytes, i).unwrap_or((0, i));
                let end = skip_raw_string(bytes, quote + 1, hashes);
                toks.push(Tok::Str(text.get(i..end).unwrap_or("")));
                i = end;
            }
            b'b' | b'c'
                if bytes.get(i + 1) == Some(&b'"') && !(i > 0 && is_ident_byte(bytes[i - 1])) =>
            {
                i = skip_string(bytes, i + 2);
            }
            _ if b.is_ascii_digit() => {
                // `1.0`, `0x1f`, `1_000u64`; `1..2` and `x.0.1` stop at the dot.
                i += 1;
                while i < bytes.len()
                    && (is_ident_byte(bytes[i])
                        || bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
                {
                    i += 1;
                }
            }
            _ if is_ident_byte(b) => {
                let start = i;
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                toks.push(Tok::Ident(text.get(start..i).unwrap_or("")));
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                toks.push(Tok::Punct(b));
                i += 1;
            }
        }
        if toks.len() > count {
            starts.push(u32::try_from(i0).unwrap_or(u32::MAX));
        }
    }
    (toks, starts, marked)
}

/// Where the item starting at token `from` ends: past the `;` or the closing `}` of its body,
/// whichever comes first outside brackets.
fn item_end(toks: &[Tok<'_>], from: usize) -> usize {
    end_outside_brackets(toks, from, true)
}

/// Past the `;` that ends the item at token `from`, outside brackets (a constant's value
/// may hold braces: `const X: u8 = if A { 1 } else { 2 };`).
fn semicolon_end(toks: &[Tok<'_>], from: usize) -> usize {
    end_outside_brackets(toks, from, false)
}

/// Past the first `;` outside brackets from token `from` (`brace`: or past the first `}`
/// that closes them all, if that comes first).
fn end_outside_brackets(toks: &[Tok<'_>], from: usize, brace: bool) -> usize {
    let mut depth = 0usize;
    for (n, tok) in toks.iter().enumerate().skip(from) {
        match tok {
            Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
            Tok::Punct(b')' | b']') => depth = depth.saturating_sub(1),
            Tok::Punct(b'}') => {
                depth = depth.saturating_sub(1);
                if brace && depth == 0 {
                    return n + 1;
                }
            }
            Tok::Punct(b';') if depth == 0 => return n + 1,
            _ => {}
        }
    }
    toks.len()
}

/// Interns the words of a file.
#[derive(Default)]
struct Words<'t> {
    ids: HashMap<&'t str, u32>,
    list: Vec<&'t str>,
}

impl<'t> Words<'t> {
    fn id(&mut self, word: &'t str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.ids.insert(word, id);
        self.list.push(word);
        id
    }
}

/// The words of tokens `range` (code and strings), sorted and without repeats.
fn range_words<'t>(
    toks: &[Tok<'t>],
    in_attr: &[bool],
    range: std::ops::Range<usize>,
    words: &mut Words<'t>,
) -> (Vec<u32>, Vec<u32>) {
    let (mut code, mut strings) = (Vec::new(), Vec::new());
    for n in range {
        match toks.get(n) {
            Some(Tok::Ident(w)) => code.push(words.id(w)),
            // Only an attribute's strings name items (`#[serde(default = "f")]`).
            Some(Tok::Str(s)) if in_attr.get(n).copied().unwrap_or(false) => {
                strings.extend(string_words(s).map(|w| words.id(w)));
            }
            _ => {}
        }
    }
    for v in [&mut code, &mut strings] {
        v.sort_unstable();
        v.dedup();
    }
    (code, strings)
}

/// Which tokens are inside an attribute (`#[..]`, `#![..]`).
fn attribute_tokens(toks: &[Tok<'_>]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    // For each open `[`: whether it opened an attribute.
    let mut brackets: Vec<bool> = Vec::new();
    let mut inside = 0usize;
    for n in 0..toks.len() {
        match toks[n] {
            Tok::Punct(b'[') => {
                let attr = n > 0
                    && (toks[n - 1] == Tok::Punct(b'#')
                        || toks[n - 1] == Tok::Punct(b'!')
                            && n > 1
                            && toks[n - 2] == Tok::Punct(b'#'));
                inside += usize::from(attr);
                brackets.push(attr);
            }
            Tok::Punct(b']') if brackets.pop() == Some(true) => inside -= 1,
            _ => {}
        }
        out[n] = inside > 0;
    }
    out
}

/// What a brace opens, for which definitions inside it the index sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A file's or inline module's items.
    Module,
    /// An `impl` or `trait` body: its functions.
    Impl,
    /// Anything else (a function body, a struct body, a macro, an expression).
    Other,
}

/// Reads the facts of a Rust file (any text: nothing here can fail).
pub(crate) fn facts(text: &str) -> Facts {
    let (toks, starts, marked) = tokens_at(text);
    let mut bodies = Vec::new();
    let mut words = Words::default();
    let mut seed = marked;
    let mut found = Definitions::default();
    let mut extra = Extra::default();
    let in_attr = attribute_tokens(&toks);
    let (code_words, string_words_all) = range_words(&toks, &in_attr, 0..toks.len(), &mut words);
    // What the next `{` opens, and what each open brace opened.
    let mut pending = Scope::Other;
    let mut scopes: Vec<Scope> = Vec::new();
    for n in 0..toks.len() {
        let here = scopes.last().copied().unwrap_or(Scope::Module);
        let word = match toks[n] {
            Tok::Punct(b'{') => {
                scopes.push(std::mem::replace(&mut pending, Scope::Other));
                extra.open();
                continue;
            }
            Tok::Punct(b'}') => {
                scopes.pop();
                extra.close();
                pending = Scope::Other;
                continue;
            }
            Tok::Punct(b';') => {
                pending = Scope::Other;
                extra.end();
                continue;
            }
            Tok::Ident(word) => word,
            _ => continue,
        };
        seed |= extra.word(&toks, &in_attr, n, word, &mut words);
        let item = here == Scope::Module;
        let before = found.defs.len();
        if let Some(scope) = define(&toks, &in_attr, n, word, item, &mut words, &mut found) {
            pending = scope;
            if word == "impl" {
                extra.impl_header(&toks, &starts, n, &mut words);
            }
        }
        for def in &mut found.defs[before..] {
            def.at = starts.get(n).copied().unwrap_or(u32::MAX);
        }
        if word == "fn" && found.defs.len() > before {
            if let Some(def) = found.defs.last_mut() {
                extra.in_impl(def);
                if def.body && (item || here == Scope::Impl) {
                    let header = if here == Scope::Impl {
                        extra.headers.last().cloned().flatten()
                    } else {
                        None
                    };
                    bodies.extend(body(&toks, &starts, n, def.name, header, &words));
                }
            }
        }
    }
    let env_loader = ENV_LOADER_IDENTS.iter().any(|w| words.ids.contains_key(w));
    let maybe_seed = MAYBE_SEED_IDENTS.iter().any(|w| words.ids.contains_key(w));
    let count = words.list.len();
    let flags = |ids: &mut dyn Iterator<Item = u32>| {
        let mut v = vec![false; count];
        for id in ids {
            v[id as usize] = true;
        }
        v
    };
    let in_code = flags(&mut code_words.into_iter());
    let in_strings = flags(&mut string_words_all.into_iter());
    let methods = flags(&mut extra.methods.iter().copied());
    let calls = flags(&mut extra.calls.iter().copied());
    let Definitions {
        defs,
        local_types,
        self_fns,
    } = found;
    Facts {
        seed,
        maybe_seed,
        env_loader,
        words: words.list.iter().map(|w| (*w).to_owned()).collect(),
        in_code,
        in_strings,
        methods,
        calls,
        paths: sorted_unique(extra.paths),
        defs,
        local_types: sorted_unique(local_types)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        self_fns: self_fns.into_iter().map(str::to_owned).collect(),
        own_fns: own_functions(&toks).map(|f| f.into_iter().map(str::to_owned).collect()),
        renamed: extra.renamed,
        defaults: extra.defaults,
        bodies,
        items: module_items(&toks, &starts),
    }
}

fn sorted_unique<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items.dedup();
    items
}

/// The items at module level of a file, inline modules entered (see [`ItemSpan`]). An item
/// that does not end in `}` or `;` (a file cut short) is left out: it is never blanked.
fn module_items(toks: &[Tok<'_>], starts: &[u32]) -> Vec<ItemSpan> {
    let mut out = Vec::new();
    let mut n = 0;
    while n < toks.len() {
        let punct = |i: usize, p: u8| toks.get(i) == Some(&Tok::Punct(p));
        let ident = |i: usize| match toks.get(i) {
            Some(Tok::Ident(w)) => Some(*w),
            _ => None,
        };
        if punct(n, b'}') {
            // The end of an inline module.
            n += 1;
            continue;
        }
        if punct(n, b'#') && punct(n + 1, b'!') && punct(n + 2, b'[') {
            n = closing(toks, n + 2) + 1;
            continue;
        }
        let start = n;
        let mut k = n;
        while punct(k, b'#') && punct(k + 1, b'[') {
            k = closing(toks, k + 1) + 1;
        }
        if ident(k) == Some("pub") {
            k += 1;
            if punct(k, b'(') {
                k = closing(toks, k) + 1;
            }
        }
        while matches!(ident(k), Some("unsafe" | "default")) {
            k += 1;
        }
        if ident(k) == Some("mod") && ident(k + 1).is_some() && punct(k + 2, b'{') {
            n = k + 3;
            continue;
        }
        let keyword = ident(k);
        let kept = matches!(keyword, Some("use"))
            || keyword == Some("extern") && ident(k + 1) == Some("crate")
            || keyword == Some("mod") && punct(k + 2, b';');
        let to_semicolon = kept
            || matches!(keyword, Some("type"))
            || matches!(keyword, Some("const" | "static"))
                && !matches!(ident(k + 1), Some("fn" | "unsafe" | "async" | "extern"));
        let mut end = if to_semicolon {
            semicolon_end(toks, k)
        } else {
            item_end(toks, k)
        };
        if punct(end, b';') && end > 0 && punct(end - 1, b'}') {
            end += 1;
        }
        let last = end
            .checked_sub(1)
            .filter(|&l| punct(l, b'}') || punct(l, b';'));
        if let (Some(last), Some(&first)) = (last, starts.get(start)) {
            let gap = start
                .checked_sub(1)
                .and_then(|p| Some(token_end(toks.get(p)?, *starts.get(p)?)))
                .unwrap_or(0);
            out.push(ItemSpan {
                gap,
                start: first,
                end: starts.get(last).map_or(u32::MAX, |&s| s.saturating_add(1)),
                kept,
            });
        }
        n = end.max(n + 1);
    }
    out
}

/// The outer doc comments (`///`, `/** */`) in a stretch of a file that holds only
/// whitespace and comments, by byte ranges: what documents the item after them.
fn outer_doc_comments(text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut out = Vec::new();
    let mut i = range.start;
    while i < end {
        let rest = &bytes[i..end];
        if rest.starts_with(b"//") {
            let stop = memchr_from(bytes, i, b'\n').min(end);
            if rest.starts_with(b"///") && !rest.starts_with(b"////") {
                out.push(i..stop);
            }
            i = stop;
        } else if rest.starts_with(b"/*") {
            let stop = skip_block_comment(bytes, i).min(end);
            if rest.starts_with(b"/**") && !rest.starts_with(b"/***") && !rest.starts_with(b"/**/")
            {
                out.push(i..stop);
            }
            i = stop;
        } else {
            i += 1;
        }
    }
    out
}

/// The token that closes the bracket at token `open` (or the last token).
fn closing(toks: &[Tok<'_>], open: usize) -> usize {
    let mut depth = 0usize;
    for (n, tok) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Punct(b'(' | b'[' | b'{') => depth += 1,
            Tok::Punct(b')' | b']' | b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return n;
                }
            }
            _ => {}
        }
    }
    toks.len().saturating_sub(1)
}

/// The byte offset past a token that starts at `start`.
fn token_end(tok: &Tok<'_>, start: u32) -> u32 {
    let len = match tok {
        Tok::Ident(w) | Tok::Str(w) => w.len(),
        Tok::Punct(_) => 1,
    };
    start.saturating_add(u32::try_from(len).unwrap_or(u32::MAX))
}

/// The body of the function whose `fn` is token `n`, by byte offsets (`header`: of the
/// `impl` it is in).
fn body(
    toks: &[Tok<'_>],
    starts: &[u32],
    n: usize,
    name: u32,
    header: Option<Header>,
    words: &Words<'_>,
) -> Option<Body> {
    let close = item_end(toks, n).checked_sub(1)?;
    if toks.get(close) != Some(&Tok::Punct(b'}')) {
        return None;
    }
    let mut depth = 0usize;
    let mut open = close;
    loop {
        match toks.get(open)? {
            Tok::Punct(b'}') => depth += 1,
            Tok::Punct(b'{') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        open = open.checked_sub(1)?;
    }
    let default_impl = header.as_ref().is_some_and(|h| {
        h.words
            .iter()
            .any(|&w| words.list.get(w as usize) == Some(&"Default"))
    });
    Some(Body {
        name,
        at: *starts.get(n)?,
        open: *starts.get(open)?,
        close: *starts.get(close)?,
        header: header.map(|h| h.range),
        default_impl,
    })
}

/// What [`facts`] follows besides definitions: calls, methods and paths, `use` renames,
/// `default = ".."` attribute strings, and the `impl` header each open brace is inside of
/// (a method's definition brings its words: `impl Ext for ClientConfig { fn apply(&mut
/// self) .. }`).
#[derive(Default)]
struct Extra {
    calls: HashSet<u32>,
    methods: HashSet<u32>,
    paths: Vec<(u32, u32)>,
    renamed: Vec<(u32, u32)>,
    defaults: Vec<u32>,
    in_use: bool,
    /// The header of the `impl` whose `{` comes next.
    pending_header: Option<Header>,
    headers: Vec<Option<Header>>,
}

impl Extra {
    fn open(&mut self) {
        self.headers.push(self.pending_header.take());
    }

    fn close(&mut self) {
        self.headers.pop();
        self.pending_header = None;
    }

    fn end(&mut self) {
        self.pending_header = None;
        self.in_use = false;
    }

    /// Records the identifier `word` at token `n`; returns whether it makes the file a seed.
    fn word<'t>(
        &mut self,
        toks: &[Tok<'t>],
        in_attr: &[bool],
        n: usize,
        word: &'t str,
        words: &mut Words<'t>,
    ) -> bool {
        let ident = |n: usize| match toks.get(n) {
            Some(Tok::Ident(w)) => Some(*w),
            _ => None,
        };
        let punct = |n: usize, p: u8| toks.get(n) == Some(&Tok::Punct(p));
        let mut seed = SEED_IDENTS.contains(&word);
        let after_dot = n > 0 && punct(n - 1, b'.') && !(n > 1 && punct(n - 2, b'.'));
        if !after_dot && (punct(n + 1, b'(') || punct(n + 1, b':') && punct(n + 3, b'<')) {
            self.calls.insert(words.id(word));
        }
        if after_dot {
            self.methods.insert(words.id(word));
            seed |= word == "create" && punct(n + 1, b'(') && punct(n + 2, b')');
        }
        if n >= 3 && punct(n - 1, b':') && punct(n - 2, b':') {
            if let Some(owner) = ident(n - 3) {
                self.paths.push((words.id(owner), words.id(word)));
            }
        }
        self.in_use |= word == "use";
        let assigned = toks.get(n + 1) == Some(&Tok::Punct(b'='));
        if word == "default" && assigned && in_attr.get(n).copied().unwrap_or(false) {
            if let Some(Tok::Str(text)) = toks.get(n + 2) {
                self.defaults
                    .extend(string_words(text).map(|w| words.id(w)));
            }
        }
        if self.in_use && word == "as" {
            if let (Some(from), Some(to)) = (ident(n.wrapping_sub(1)), ident(n + 1)) {
                self.renamed.push((words.id(from), words.id(to)));
            }
        }
        seed
    }

    fn impl_header<'t>(
        &mut self,
        toks: &[Tok<'t>],
        starts: &[u32],
        n: usize,
        words: &mut Words<'t>,
    ) {
        let len = toks[n..]
            .iter()
            .take_while(|t| **t != Tok::Punct(b'{') && **t != Tok::Punct(b';'))
            .count();
        let header = toks[n..n + len]
            .iter()
            .filter_map(|t| match t {
                Tok::Ident(w) => Some(words.id(w)),
                _ => None,
            })
            .collect();
        let target = impl_target(toks, n + 1).map(|w| words.id(w));
        let at = |i: usize| starts.get(i).copied().unwrap_or(u32::MAX);
        self.pending_header = Some(Header {
            target,
            words: header,
            range: (at(n), at(n + len)),
        });
    }

    /// Gives a function defined inside an `impl` that `impl`'s type and header words.
    fn in_impl(&self, def: &mut Def) {
        if let Some(header) = self.headers.iter().rev().find_map(Option::as_ref) {
            def.code.extend(&header.words);
            def.code.sort_unstable();
            def.code.dedup();
            def.owner = header.target;
        }
    }
}

/// The free functions at a file's top level, by name; `None` when the file has an inline
/// `mod name { .. }` (its items are another module's).
fn own_functions<'t>(toks: &[Tok<'t>]) -> Option<Vec<&'t str>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (n, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Punct(b'{') => depth += 1,
            Tok::Punct(b'}') => depth = depth.saturating_sub(1),
            Tok::Ident("mod")
                if depth == 0
                    && matches!(toks.get(n + 1), Some(Tok::Ident(_)))
                    && toks.get(n + 2) == Some(&Tok::Punct(b'{')) =>
            {
                return None;
            }
            Tok::Ident("fn") if depth == 0 => {
                if let Some(Tok::Ident(name)) = toks.get(n + 1) {
                    if !takes_self(toks, n + 2) {
                        out.push(*name);
                    }
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// Whether the parameters of a function whose name is followed by token `from` start with
/// `self` (`(&self`, `(mut self`, `(&'a mut self`, `<T>(self: Box<Self>`).
fn takes_self(toks: &[Tok<'_>], from: usize) -> bool {
    let mut angle = 0usize;
    let mut n = from;
    while let Some(tok) = toks.get(n) {
        match tok {
            Tok::Punct(b'<') => angle += 1,
            Tok::Punct(b'>') => angle = angle.saturating_sub(1),
            Tok::Punct(b'(') if angle == 0 => break,
            Tok::Punct(b'{' | b';') => return false,
            _ => {}
        }
        n += 1;
    }
    toks.iter()
        .skip(n + 1)
        .take_while(|t| !matches!(t, Tok::Punct(b',' | b')' | b':')))
        .any(|t| *t == Tok::Ident("self"))
}

/// The definitions a file makes, as [`facts`] collects them.
#[derive(Default)]
struct Definitions<'t> {
    defs: Vec<Def>,
    local_types: Vec<&'t str>,
    self_fns: Vec<&'t str>,
}

/// Records the definition keyword `word` at token `n` starts, if any (`item`: at module
/// level); returns what the next `{` opens when the keyword decides it (`mod`, `impl`,
/// `trait`).
fn define<'t>(
    toks: &[Tok<'t>],
    in_attr: &[bool],
    n: usize,
    word: &'t str,
    item: bool,
    words: &mut Words<'t>,
    out: &mut Definitions<'t>,
) -> Option<Scope> {
    let ident = |n: usize| match toks.get(n) {
        Some(Tok::Ident(w)) => Some(*w),
        _ => None,
    };
    let punct = |n: usize, p: u8| toks.get(n) == Some(&Tok::Punct(p));
    let next = ident(n + 1);
    let mut opens = None;
    let (name, kind) = match word {
        "mod" if item => {
            return Some(Scope::Module);
        }
        "impl" | "trait" if item => {
            opens = Some(Scope::Impl);
            if word == "trait" {
                out.local_types.extend(next);
                (next, DefKind::Type)
            } else {
                (impl_target(toks, n + 1), DefKind::Impl)
            }
        }
        // Not `*const T`, `const fn`.
        "const" | "static" if item && next != Some("fn") && !(n > 0 && punct(n - 1, b'*')) => {
            // `static mut X`.
            let name = if next == Some("mut") {
                ident(n + 2)
            } else {
                next
            };
            (name, DefKind::Const)
        }
        "struct" | "enum" | "union" if item => {
            out.local_types.extend(next);
            let kind = if word == "struct" {
                DefKind::Struct
            } else {
                DefKind::Type
            };
            (next, kind)
        }
        "type" if item => (next, DefKind::Alias),
        "fn" => {
            // Declarations without a body (in a trait) are not what a call runs.
            let body = toks.get(item_end(toks, n).wrapping_sub(1)) == Some(&Tok::Punct(b'}'));
            if next.is_some() && body && takes_self(toks, n + 2) {
                out.self_fns.extend(next);
            }
            (next, DefKind::Fn)
        }
        "macro_rules" if item && punct(n + 1, b'!') => (ident(n + 2), DefKind::Macro),
        _ => (None, DefKind::Type),
    };
    let Some(name) = name else { return opens };
    if kind == DefKind::Type {
        out.defs.push(Def::named(words.id(name), kind));
        return opens;
    }
    if kind == DefKind::Macro {
        out.defs.push(macro_def(toks, n, name, words));
        return opens;
    }
    let end = item_end(toks, n);
    let default_impl = || {
        toks[n..end.min(n + 64)]
            .iter()
            .take_while(|t| **t != Tok::Punct(b'{'))
            .any(|t| *t == Tok::Ident("Default"))
    };
    let kind = if kind == DefKind::Impl && default_impl() {
        DefKind::DefaultImpl
    } else {
        kind
    };
    // Only what a definition's users read propagates: an `impl` brings the values of a
    // `Default` impl (field defaults), no other method body.
    let (code, strings) = if kind == DefKind::Impl {
        (Vec::new(), Vec::new())
    } else {
        range_words(toks, in_attr, n..end, words)
    };
    if kind == DefKind::Struct {
        field_defs(toks, in_attr, n..end, words, out);
    }
    let has_body = kind == DefKind::Fn && toks.get(end.wrapping_sub(1)) == Some(&Tok::Punct(b'}'));
    // A function's own name, after `fn`, is no call.
    let calls = if matches!(kind, DefKind::Fn | DefKind::Const) {
        let from = if kind == DefKind::Fn { n + 2 } else { n };
        range_calls(toks, from.min(end)..end, words)
    } else {
        Vec::new()
    };
    out.defs.push(Def {
        name: words.id(name),
        kind,
        code,
        strings,
        env: false,
        calls,
        body: has_body,
        method: has_body && takes_self(toks, n + 2),
        owner: None,
        at: 0,
    });
    opens
}

/// The named fields of the struct whose tokens are `range`, as definitions.
fn field_defs<'t>(
    toks: &[Tok<'t>],
    in_attr: &[bool],
    range: std::ops::Range<usize>,
    words: &mut Words<'t>,
    out: &mut Definitions<'t>,
) {
    for field in struct_fields(toks, range.start, range.end) {
        let (code, strings) = range_words(toks, in_attr, field.clone(), words);
        if let Some(Tok::Ident(name)) = field_name(toks, &field) {
            let env = toks[field.clone()].iter().enumerate().any(|(i, t)| {
                matches!(t, Tok::Ident("env" | "envconfig")) && in_attr[field.start + i]
            });
            out.defs.push(Def {
                code,
                strings,
                env,
                ..Def::named(words.id(name), DefKind::Field)
            });
        }
    }
}

/// A `macro_rules!` definition at token `n`: its body's identifiers, as bare calls, tell
/// whether it can create or call a client.
fn macro_def<'t>(toks: &[Tok<'t>], n: usize, name: &'t str, words: &mut Words<'t>) -> Def {
    let end = item_end(toks, n);
    let mut calls: Vec<Shape> = (n + 3..end)
        .filter_map(|i| match toks.get(i) {
            Some(Tok::Ident(w)) => Some(Shape::Bare(words.id(w))),
            _ => None,
        })
        .collect();
    calls.sort_unstable();
    calls.dedup();
    Def {
        calls,
        ..Def::named(words.id(name), DefKind::Macro)
    }
}

/// The calls in a token range, by shape, sorted.
fn range_calls<'t>(
    toks: &[Tok<'t>],
    range: std::ops::Range<usize>,
    words: &mut Words<'t>,
) -> Vec<Shape> {
    let mut calls: Vec<Shape> = shapes(toks, range)
        .map(|(shape, w, owner)| match shape {
            ShapeOf::Bare => Shape::Bare(words.id(w)),
            ShapeOf::Method(on_self) => Shape::Method(words.id(w), on_self),
            ShapeOf::Owned => Shape::Owned(words.id(owner), words.id(w)),
        })
        .collect();
    calls.sort_unstable();
    calls.dedup();
    calls
}

/// The identifiers of a list of tokens, from the `from`th token.
fn idents<'t>(toks: &[Tok<'t>], from: usize) -> Vec<&'t str> {
    toks.iter()
        .skip(from)
        .filter_map(|t| match t {
            Tok::Ident(w) => Some(*w),
            _ => None,
        })
        .collect()
}

/// A call's shape, with its words borrowed: what [`shapes`] yields.
#[derive(Clone, Copy)]
enum ShapeOf {
    Bare,
    Method(bool),
    Owned,
}

/// The calls of a token range: shape, name, and the owner (for `Owner::name`).
fn shapes<'a, 't>(
    toks: &'a [Tok<'t>],
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = (ShapeOf, &'t str, &'t str)> + 'a {
    let punct = move |n: usize, p: u8| toks.get(n) == Some(&Tok::Punct(p));
    let ident = move |n: usize| match toks.get(n) {
        Some(Tok::Ident(w)) => Some(*w),
        _ => None,
    };
    range.filter_map(move |n| {
        let w = ident(n)?;
        let called =
            punct(n + 1, b'(') || punct(n + 1, b':') && punct(n + 2, b':') && punct(n + 3, b'<');
        if !called {
            return None;
        }
        let after_dot = n > 0 && punct(n - 1, b'.') && !(n > 1 && punct(n - 2, b'.'));
        if after_dot {
            let on_self = n > 1 && ident(n - 2) == Some("self");
            return Some((ShapeOf::Method(on_self), w, ""));
        }
        if n >= 3 && punct(n - 1, b':') && punct(n - 2, b':') {
            if let Some(owner) = ident(n - 3) {
                return Some((ShapeOf::Owned, w, owner));
            }
            // `<T as Trait>::name(..)`: any owner.
            return Some((ShapeOf::Owned, w, "Self"));
        }
        Some((ShapeOf::Bare, w, ""))
    })
}

/// The name token of a field whose tokens are `range` (attributes, visibility, name, `:`,
/// type).
fn field_name<'a, 't>(toks: &'a [Tok<'t>], range: &std::ops::Range<usize>) -> Option<&'a Tok<'t>> {
    (range.start..range.end).find_map(|n| {
        let is_name = matches!(toks.get(n), Some(Tok::Ident(_)))
            && toks.get(n + 1) == Some(&Tok::Punct(b':'))
            && toks.get(n + 2) != Some(&Tok::Punct(b':'))
            && !(n > 0 && toks.get(n - 1) == Some(&Tok::Punct(b':')));
        if is_name { toks.get(n) } else { None }
    })
}

/// The token ranges of the named fields of the struct whose item spans tokens `from..end`:
/// each from the `,` or `{` before it to the `,` or `}` after it at the body's level.
fn struct_fields(toks: &[Tok<'_>], from: usize, end: usize) -> Vec<std::ops::Range<usize>> {
    let Some(open) = (from..end).find(|&n| toks[n] == Tok::Punct(b'{')) else {
        return Vec::new();
    };
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut start = open + 1;
    for (n, tok) in toks.iter().enumerate().take(end).skip(open + 1) {
        match tok {
            Tok::Punct(b'(' | b'[' | b'{' | b'<') => depth += 1,
            Tok::Punct(b')' | b']' | b'>') => depth = depth.saturating_sub(1),
            Tok::Punct(b'}') if depth == 0 => {
                out.push(start..n);
                break;
            }
            Tok::Punct(b'}') => depth -= 1,
            Tok::Punct(b',') if depth == 0 => {
                out.push(start..n);
                start = n + 1;
            }
            _ => {}
        }
    }
    out.retain(|r| field_name(toks, r).is_some());
    out
}

/// The type an `impl` block is for: the last path segment before its body, after `for`
/// when there is one (`impl<T> Trait for a::Type<T> where .. {` → `Type`).
fn impl_target<'t>(toks: &[Tok<'t>], from: usize) -> Option<&'t str> {
    let mut angle = 0usize;
    let mut last = None;
    for tok in toks.iter().skip(from).take(256) {
        match tok {
            Tok::Punct(b'<') => angle += 1,
            Tok::Punct(b'>') => angle = angle.saturating_sub(1),
            Tok::Punct(b'{' | b';') => break,
            Tok::Ident("where") if angle == 0 => break,
            Tok::Ident("for") if angle == 0 => last = None,
            Tok::Ident(w) if angle == 0 && !matches!(*w, "dyn" | "unsafe" | "const") => {
                last = Some(*w);
            }
            _ => {}
        }
    }
    last
}

/// Identifier-like words of a string literal (`"crate::defaults::session"` → `crate`,
/// `defaults`, `session`).
fn string_words(literal: &str) -> impl Iterator<Item = &str> {
    literal
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
        })
}

/// The Fx hash (as rustc uses): the closure hashes many short words.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxSet<T> = HashSet<T, std::hash::BuildHasherDefault<Fx>>;
type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Words that make a function's body matter to the analysis by themselves, besides the
/// seeds: creating a client, and the methods whose use on a client decides its role.
const ROLE_IDENTS: [&str; 4] = ["create", "subscribe", "assign", "incremental_assign"];

/// Words that make a function a config helper or creator (see `flow::is_config_helper` and
/// `creators::creators`) wherever they occur: it names the config type or the traits that
/// create a client from it. Creating calls count by their shape ([`creates`]).
const CREATION_IDENTS: [&str; 3] = [
    "ClientConfig",
    "FromClientConfig",
    "FromClientConfigAndContext",
];

/// What the worklist of [`Live::new`] holds: the calls to look at again, by key (see
/// `Live::key`), in one file only or in all.
struct Key {
    owner: String,
    name: String,
    file: Option<usize>,
}

impl Key {
    fn any(name: String) -> Key {
        Key {
            owner: String::new(),
            name,
            file: None,
        }
    }
}

/// Whether `Owner::name()` names a type (not a module, not `Self`).
pub(crate) fn typed(owner: &str) -> bool {
    owner.starts_with(|c: char| c.is_uppercase()) && owner != "Self"
}

/// Whether a call creates a client by its shape: `.create()`, `.create_with_context(..)`,
/// `T::from_config(..)`.
fn creates(f: &Facts, call: Shape) -> bool {
    match call {
        Shape::Method(w, _) => matches!(f.word(w), "create" | "create_with_context"),
        Shape::Owned(_, w) | Shape::Bare(w) => {
            matches!(f.word(w), "from_config" | "from_config_and_context")
        }
    }
}

/// The functions whose bodies the analysis may read, found from the facts of every file of a
/// crate before any is parsed: the other bodies of a file are blanked before it is parsed
/// ([`Live::blank`]; a body the token scan did not see is emptied after parsing,
/// [`super::parse::Parsed::prune`]), so that syn parses, and the syntax trees hold, only
/// code that touches Kafka and what calls it.
///
/// The analysis reads a body only when it creates, configures or uses a client, when it
/// calls a helper or creator (evaluated at its call sites), when it is a method of an `impl`
/// for a config or client type (`impl Ext for ClientConfig`), when a method may use a client
/// stored in a field of `self`, or when `#[serde(default = "f")]` names it (its tail is
/// evaluated). So: the functions whose code (with their `impl` header) names
/// [`CREATION_IDENTS`] or an alias or macro of config or client types, or calls in a
/// creating shape, may be helpers or creators; so may, through a worklist, every function
/// that calls one in a shape the analysis resolves to it (`name()`: a free function, the
/// caller's own module's when it has one; `x.name()`: when every method of that name may be;
/// `Type::name()`: that type's; a module path, `Self` or an alias: any). A body is read when
/// its own text names a seed, role or env-loader word, a live constant or alias, or calls
/// one of those functions. Names are matched as words and call shapes, not resolved: a
/// function sharing its name with a helper keeps its callers' bodies. The closure is a
/// superset of what the analysis reads, so that blanking changes no output but for syntax
/// errors inside blanked bodies (`--no-prefilter` parses every body, and tests compare the
/// two on every fixture folder).
#[derive(Debug, Default)]
pub(crate) struct Live {
    /// Words that make a function a helper the analysis may evaluate at its call sites
    /// (and so make its callers read): [`CREATION_IDENTS`], aliases of config or client
    /// types, macros that create, names a `use` gives those.
    reach: FxSet<String>,
    /// Words that make a body read wherever they occur, and no more: the seeds, the other
    /// idents above, statics and constants holding a client.
    any: FxSet<String>,
    /// Live functions without `self`, by name, with the type of their `impl` if any and
    /// their file.
    free: FxMap<String, Vec<(Option<String>, usize)>>,
    /// Live functions taking `self`, by name, with the type of their `impl`.
    methods: FxMap<String, Vec<Option<String>>>,
    /// How many functions taking `self` the crate defines, by name.
    method_counts: HashMap<String, usize>,
    /// Names of functions read only for themselves: named by an attribute.
    named: FxSet<String>,
}

impl Live {
    /// `method_counts`: how many functions taking `self` the crate defines, by name
    /// ([`Closure::method_counts`]).
    pub(crate) fn new(facts: &[Facts], method_counts: &HashMap<String, usize>) -> Live {
        let mut live = Live {
            method_counts: method_counts.clone(),
            ..Live::default()
        };
        live.reach
            .extend(CREATION_IDENTS.iter().map(|w| (*w).to_owned()));
        live.any.extend(
            SEED_IDENTS
                .iter()
                .chain(&MAYBE_SEED_IDENTS)
                .chain(&ENV_LOADER_IDENTS)
                .chain(&ROLE_IDENTS)
                .map(|w| (*w).to_owned()),
        );
        for f in facts {
            live.named
                .extend(f.defaults.iter().map(|&id| f.word(id).to_owned()));
        }
        live.types(facts);
        // The functions: those whose code names a config or client type or creates, then,
        // through a worklist, those that call a live one.
        // Callers by what they call: `(Type, name)` for `Type::name()`, `("", name)` else.
        let mut callers: FxMap<(&str, &str), Vec<(usize, usize)>> = FxMap::default();
        let mut queue: Vec<Key> = Vec::new();
        for (file, f) in facts.iter().enumerate() {
            let reach: Vec<bool> = f.words.iter().map(|w| live.reach.contains(w)).collect();
            for (n, d) in f.defs.iter().enumerate() {
                if d.kind != DefKind::Fn || !d.body || f.word(d.name) == "_" {
                    continue;
                }
                let named = d
                    .code
                    .iter()
                    .any(|&w| reach.get(w as usize).copied().unwrap_or(false));
                if named || d.calls.iter().any(|c| creates(f, *c)) {
                    queue.extend(live.add_fn(f, file, d));
                    continue;
                }
                for call in &d.calls {
                    callers
                        .entry(live.key(f, *call))
                        .or_default()
                        .push((file, n));
                }
            }
        }
        let mut renames: FxMap<&str, Vec<(usize, &str)>> = FxMap::default();
        for (file, f) in facts.iter().enumerate() {
            for &(from, to) in &f.renamed {
                if f.word(to) != "_" {
                    renames
                        .entry(f.word(from))
                        .or_default()
                        .push((file, f.word(to)));
                }
            }
        }
        let mut seen: FxSet<(usize, usize)> = FxSet::default();
        while let Some(Key {
            owner,
            name,
            file: only,
        }) = queue.pop()
        {
            // A name a `use` gives a live function is one too (`use a::make as mk; mk()`).
            for &(file, to) in renames.get(name.as_str()).into_iter().flatten() {
                if !live.free.contains_key(to) {
                    live.free
                        .entry(to.to_owned())
                        .or_default()
                        .push((None, file));
                    queue.push(Key::any(to.to_owned()));
                }
            }
            let key = (owner.as_str(), name.as_str());
            for &(file, n) in callers.get(&key).into_iter().flatten() {
                if only.is_some_and(|only| only != file) || seen.contains(&(file, n)) {
                    continue;
                }
                let (f, d) = (&facts[file], &facts[file].defs[n]);
                if d.calls.iter().any(|c| live.calls(f, file, *c)) {
                    seen.insert((file, n));
                    queue.extend(live.add_fn(f, file, d));
                }
            }
        }
        live
    }

    /// Whether some live function (or one an attribute names) has this name: only then can a
    /// call of that name run code of another file ([`super::parts`]).
    pub(crate) fn names_fn(&self, name: &str) -> bool {
        self.free.contains_key(name) || self.methods.contains_key(name) || self.named.contains(name)
    }

    /// What a call is indexed by in the worklist: `(Type, name)` for `Type::name()` of a type
    /// that is not `Self` or an alias, `("", name)` for every other shape.
    fn key<'f>(&self, f: &'f Facts, call: Shape) -> (&'f str, &'f str) {
        match call {
            Shape::Owned(owner, w)
                if typed(f.word(owner)) && !self.reach.contains(f.word(owner)) =>
            {
                (f.word(owner), f.word(w))
            }
            Shape::Bare(w) | Shape::Method(w, _) | Shape::Owned(_, w) => ("", f.word(w)),
        }
    }

    /// The aliases and macros of config or client types (or that create), the constants
    /// and statics holding a client, and the names `use` items give them.
    fn types(&mut self, facts: &[Facts]) {
        loop {
            let mut grew = false;
            for f in facts {
                for d in &f.defs {
                    let name = f.word(d.name);
                    let words = || {
                        d.code
                            .iter()
                            .copied()
                            .chain(d.calls.iter().filter_map(|c| match c {
                                Shape::Bare(w) => Some(*w),
                                _ => None,
                            }))
                    };
                    let (set, hit) = match d.kind {
                        DefKind::Alias | DefKind::Macro => (
                            &self.reach,
                            words().any(|w| {
                                let w = f.word(w);
                                self.reach.contains(w) || SEED_IDENTS.contains(&w)
                            }),
                        ),
                        DefKind::Const => (
                            &self.any,
                            d.code.iter().any(|&w| {
                                let w = f.word(w);
                                SEED_IDENTS.contains(&w) || self.reach.contains(w)
                            }),
                        ),
                        _ => continue,
                    };
                    if hit && name != "_" && !set.contains(name) {
                        let set = if d.kind == DefKind::Const {
                            &mut self.any
                        } else {
                            &mut self.reach
                        };
                        set.insert(name.to_owned());
                        grew = true;
                    }
                }
                for &(from, to) in &f.renamed {
                    let (from, to) = (f.word(from), f.word(to));
                    if to == "_" {
                        continue;
                    }
                    if (from == "self" || self.reach.contains(from)) && !self.reach.contains(to) {
                        self.reach.insert(to.to_owned());
                        grew = true;
                    } else if self.any.contains(from) && !self.any.contains(to) {
                        self.any.insert(to.to_owned());
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
    }

    /// Records a live function; returns the keys of the calls that may reach it now and did
    /// not before, for the worklist: its name when it is the first of that name, or a method
    /// (which may complete its name's count), or a module's own function (which its own
    /// file's bare calls reach); `(Type, name)` for a function of an `impl`.
    fn add_fn(&mut self, f: &Facts, file: usize, d: &Def) -> Vec<Key> {
        let name = f.word(d.name).to_owned();
        let owner = d.owner.map(|o| f.word(o).to_owned());
        let fresh = !self.free.contains_key(&name) && !self.methods.contains_key(&name);
        let mut keys = Vec::new();
        if let Some(owner) = owner.iter().find(|o| typed(o)) {
            keys.push(Key {
                owner: owner.clone(),
                name: name.clone(),
                file: None,
            });
        }
        let first_free = owner.is_none()
            && !self
                .free
                .get(&name)
                .is_some_and(|defs| defs.iter().any(|(o, _)| o.is_none()));
        if d.method {
            let methods = self.methods.entry(name.clone()).or_default();
            methods.push(owner);
            // `x.name()` reaches methods once every method of the name is live.
            let all = self.method_counts.get(&name).copied().unwrap_or(0);
            if fresh || methods.len() == all {
                keys.push(Key::any(name));
            }
        } else {
            self.free
                .entry(name.clone())
                .or_default()
                .push((owner.clone(), file));
            if fresh || first_free {
                keys.push(Key::any(name));
            } else if owner.is_none() && f.defines_fn(&name) {
                // Bare calls in its own file reach it.
                keys.push(Key {
                    owner: String::new(),
                    name,
                    file: Some(file),
                });
            }
        }
        keys
    }

    /// The text of a file with the bodies the analysis cannot read blanked (every byte
    /// between their braces but line ends made a space, so that every offset stays), to
    /// parse instead of the file; `None` when none is. The test is [`Live::keeps`], on the
    /// token scan's function bodies. `only`: the file is read in part, so every item but
    /// `use`s and what that part keeps is blanked whole, with its doc comments.
    pub(crate) fn blank(
        &self,
        (facts, file): (&Facts, usize),
        text: &str,
        only: Option<&Partial>,
    ) -> Option<String> {
        let mut bytes: Option<Vec<u8>> = None;
        let mut space = |range: std::ops::Range<usize>| {
            let bytes = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
            for byte in bytes.get_mut(range).into_iter().flatten() {
                if *byte != b'\n' {
                    *byte = b' ';
                }
            }
        };
        // Whether a body is read: `Default` impls' always, empty ones need no blanking.
        let is_read = |b: &Body| {
            let (at, open, close) = (b.at as usize, b.open as usize, b.close as usize);
            let (Some(own), Some(inside)) = (text.get(at..=close), text.get(open + 1..close))
            else {
                return true;
            };
            let header = b.header.and_then(|(s, e)| text.get(s as usize..e as usize));
            b.default_impl
                || inside.trim().is_empty()
                || self.keeps((facts, file), facts.word(b.name), own, header)
        };
        // Known before the items only when they depend on it.
        let read: Option<Vec<bool>> = only
            .is_some_and(|part| part.live)
            .then(|| facts.bodies.iter().map(is_read).collect());
        let mut gone: Vec<(u32, u32)> = Vec::new();
        if let Some(part) = only {
            let within = |item: &ItemSpan, at: u32| (item.start..item.end).contains(&at);
            let holds = |item: &ItemSpan| {
                part.defs
                    .iter()
                    .any(|&d| facts.defs.get(d).is_some_and(|def| within(item, def.at)))
                    || part.live
                        && (facts.defs.iter().any(|def| {
                            matches!(def.kind, DefKind::Alias | DefKind::Macro)
                                && within(item, def.at)
                        }) || facts
                            .bodies
                            .iter()
                            .zip(read.iter().flatten())
                            .any(|(b, read)| *read && !b.default_impl && within(item, b.at)))
            };
            for item in facts.items.iter().filter(|i| !i.kept && !holds(i)) {
                if text.get(item.start as usize..item.end as usize).is_none() {
                    continue;
                }
                for doc in outer_doc_comments(text, item.gap as usize..item.start as usize) {
                    space(doc);
                }
                space(item.start as usize..item.end as usize);
                gone.push((item.start, item.end));
            }
        }
        let blanked = |at: u32| gone.iter().any(|(s, e)| (*s..*e).contains(&at));
        for (n, b) in facts.bodies.iter().enumerate() {
            let read = || {
                read.as_ref()
                    .map_or_else(|| is_read(b), |r| r.get(n).copied().unwrap_or(true))
            };
            if !blanked(b.at) && !read() {
                space(b.open as usize + 1..b.close as usize);
            }
        }
        String::from_utf8(bytes?).ok()
    }

    /// Whether a call of a file reaches a live function, as the analysis would resolve it
    /// (see `flow::Flow::helper`): `name()` a free one; `x.name()` one when every method of
    /// that name is live, `self.name()` any live method; `Owner::name()` one of that `impl`,
    /// or any one for a module path, `Self` or an alias.
    fn calls(&self, f: &Facts, file: usize, call: Shape) -> bool {
        match call {
            Shape::Bare(w) => self.bare(f, file, f.word(w)),
            Shape::Method(w, on_self) => self.method(f.word(w), on_self),
            Shape::Owned(owner, w) => self.owned(f.word(owner), f.word(w)),
        }
    }

    /// `name()` in file `file`: the file's own free function of that name when it has one,
    /// else any live function of that name without `self`.
    fn bare(&self, f: &Facts, file: usize, name: &str) -> bool {
        self.free.get(name).is_some_and(|live| {
            live.iter()
                .any(|(owner, of)| owner.is_none() && (!f.defines_fn(name) || *of == file))
        })
    }

    fn method(&self, name: &str, on_self: bool) -> bool {
        self.methods.get(name).is_some_and(|live| {
            on_self || live.len() >= self.method_counts.get(name).copied().unwrap_or(0)
        })
    }

    fn owned(&self, owner: &str, name: &str) -> bool {
        let module = !owner.starts_with(|c: char| c.is_uppercase());
        let any = !module && !typed(owner) || self.reach.contains(owner);
        let of = |o: &Option<String>| o.as_deref() == Some(owner);
        // `module::name()` calls a free function, `Type::name()` one of that type's `impl`
        // (a method too: `Type::method(&x)`).
        self.free.get(name).is_some_and(|live| {
            live.iter()
                .any(|(o, _)| any || if module { o.is_none() } else { of(o) })
        }) || self
            .methods
            .get(name)
            .is_some_and(|live| live.iter().any(|o| any || of(o)))
    }

    /// Whether the analysis may read the body of the function `name` of file `file` (with
    /// its facts), given its text (from `fn` to its closing brace) and, for a method, its
    /// `impl` header: an attribute names
    /// it, its texts name a live word or call a live function (decided on the text again,
    /// which also guards against a function the token scan saw otherwise than syn), or it is
    /// a method that uses a field of `self` with a producer or consumer method.
    pub(crate) fn keeps(
        &self,
        (facts, file): (&Facts, usize),
        name: &str,
        text: &str,
        header: Option<&str>,
    ) -> bool {
        if self.named.contains(name) {
            return true;
        }
        let (toks, _) = tokens(text);
        // The first two tokens are `fn` and the name: a function sharing its name with a
        // live one is not read for that alone.
        let own = idents(&toks, 2);
        let named = |w: &str| self.any.contains(w) || self.reach.contains(w);
        let reads = own.iter().any(|w| named(w))
            || shapes(&toks, 2..toks.len()).any(|(shape, w, owner)| match shape {
                ShapeOf::Bare => self.bare(facts, file, w),
                ShapeOf::Method(on_self) => self.method(w, on_self),
                ShapeOf::Owned => self.owned(owner, w),
            });
        reads
            || header.is_some_and(|h| {
                let (head, _) = tokens(h);
                idents(&head, 0).iter().any(|w| named(w))
                    || own.iter().any(|w| {
                        super::flow::PRODUCER_METHODS.contains(w)
                            || super::flow::CONSUMER_METHODS.contains(w)
                    }) && own.contains(&"self")
            })
    }
}

/// A function the analysis may resolve a call to (a config helper or a creator), by the
/// shapes of call that can reach it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Reachable {
    pub name: String,
    /// It takes `self` (`x.name()`).
    pub method: bool,
    /// The `Self` type of its `impl`.
    pub owner: Option<String>,
}

/// What the parsed, needed files tell the next round of the closure.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub reachable: Vec<Reachable>,
    /// Files (by their index in the crate's list) that create a client by themselves.
    pub creating: Vec<usize>,
    /// Names of the crate's client-creating macros and of its aliases of rdkafka types.
    pub names: Vec<String>,
    /// Structs that may hold a client in a field.
    pub holders: Vec<String>,
}

/// The closure over the files of one crate (see the module documentation).
#[derive(Debug)]
pub(crate) struct Closure<'f> {
    facts: Vec<&'f Facts>,
    /// Files whose every word is needed (seeds, and files that reach what those define).
    whole: Vec<bool>,
    /// Files that must be parsed: the whole ones and those holding a needed definition.
    parsed: Vec<bool>,
    /// Definitions by kind and name: (file, index into its [`Facts::defs`]).
    defs: HashMap<(DefKind, &'f str), Vec<(usize, usize)>>,
    /// Words looked up already, by where they were read.
    done_words: HashSet<(&'f str, Reader)>,
    done_defs: HashSet<(usize, usize)>,
    /// Some file may load settings from the environment: every settings field may bind an
    /// env key, not only those with an env attribute.
    loads_env: bool,
    /// The last round's reach.
    reach: Option<Reach>,
}

/// Where a needed word was read, which decides what it is looked up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Reader {
    /// The code of a whole file: any item, field, macro or `Default` impl.
    Code,
    /// The code of a definition (a field's type, a constant's value): the items it resolves
    /// through, not fields.
    Def,
    /// A string literal (`default = "default_timeout"`): also functions.
    Str,
}

impl Reader {
    fn kinds(self) -> &'static [DefKind] {
        const ITEMS: [DefKind; 4] = [
            DefKind::Struct,
            DefKind::Alias,
            DefKind::Const,
            DefKind::DefaultImpl,
        ];
        match self {
            Reader::Code => &[
                DefKind::Struct,
                DefKind::Alias,
                DefKind::Const,
                DefKind::DefaultImpl,
                DefKind::Field,
                DefKind::Macro,
            ],
            Reader::Def => &ITEMS,
            Reader::Str => &[
                DefKind::Struct,
                DefKind::Alias,
                DefKind::Const,
                DefKind::DefaultImpl,
                DefKind::Fn,
            ],
        }
    }
}

/// Work for [`Closure::settle`]: a whole file, or one definition.
enum Need {
    Whole(usize),
    Def(usize, usize),
}

impl<'f> Closure<'f> {
    /// The closure from the seeds (`loads_env`: whether the crate loads settings from the
    /// environment, so that every settings field may bind an env key).
    pub(crate) fn new(facts: Vec<&'f Facts>, loads_env: bool) -> Self {
        let mut defs: HashMap<(DefKind, &str), Vec<(usize, usize)>> = HashMap::new();
        for (n, &f) in facts.iter().enumerate() {
            for (d, def) in f.defs.iter().enumerate() {
                defs.entry((def.kind, f.word(def.name)))
                    .or_default()
                    .push((n, d));
            }
        }
        // Where the index keeps one definition of a name, only the file it keeps matters:
        // the first for constants, statics, aliases, fields and functions
        // (`entry().or_insert`, `.first()`), the last for structs and macros (`insert`).
        for ((kind, _), found) in &mut defs {
            let keep = match kind {
                DefKind::Const | DefKind::Alias | DefKind::Field | DefKind::Fn => found.first(),
                DefKind::Struct | DefKind::Macro => found.last(),
                DefKind::Type | DefKind::DefaultImpl | DefKind::Impl => continue,
            };
            if let Some(&(file, _)) = keep {
                found.retain(|(f, _)| *f == file);
            }
        }
        let count = facts.len();
        let mut closure = Closure {
            facts,
            whole: vec![false; count],
            parsed: vec![false; count],
            defs,
            done_words: HashSet::new(),
            done_defs: HashSet::new(),
            loads_env,
            reach: None,
        };
        let seeds = (0..count)
            .filter(|&n| closure.facts[n].seed)
            .map(Need::Whole)
            .collect();
        closure.settle(seeds);
        for n in 0..count {
            closure.parsed[n] |= closure.facts[n].maybe_seed;
        }
        closure
    }

    /// What of file `n` the analysis reads, when it does not read the file whole (a whole
    /// file's words all matter): the definitions it is read for, and for a file calling
    /// `from_config` (read to tell whether that call creates a client) the code that may.
    pub(crate) fn partial(&self, n: usize) -> Option<Partial> {
        let f = *self.facts.get(n)?;
        if self.whole.get(n).copied().unwrap_or(true) {
            return None;
        }
        Some(Partial {
            defs: (0..f.defs.len())
                .filter(|&d| self.done_defs.contains(&(n, d)))
                .collect(),
            live: f.maybe_seed,
        })
    }

    /// Whether the analysis needs file `n` parsed.
    pub(crate) fn needed(&self, n: usize) -> bool {
        self.parsed.get(n).copied().unwrap_or(false)
    }

    /// Needs the words of a file or a definition, and what defines them, until nothing more.
    fn settle(&mut self, mut queue: Vec<Need>) {
        while let Some(need) = queue.pop() {
            let (n, code, strings, reader): (usize, Vec<u32>, Vec<u32>, Reader) = match need {
                Need::Whole(n) => {
                    if std::mem::replace(&mut self.whole[n], true) {
                        continue;
                    }
                    let f = &self.facts[n];
                    let all = |flags: &[bool]| {
                        (0..flags.len())
                            .filter(|&w| flags[w])
                            .filter_map(|w| u32::try_from(w).ok())
                            .collect()
                    };
                    (n, all(&f.in_code), all(&f.in_strings), Reader::Code)
                }
                Need::Def(n, d) => {
                    if !self.done_defs.insert((n, d)) {
                        continue;
                    }
                    let def = &self.facts[n].defs[d];
                    (n, def.code.clone(), def.strings.clone(), Reader::Def)
                }
            };
            self.parsed[n] = true;
            let f = &self.facts[n];
            let words = code
                .iter()
                .map(|&w| (w, reader))
                .chain(strings.iter().map(|&w| (w, Reader::Str)));
            for (w, reader) in words {
                let word = f.word(w);
                if !self.done_words.insert((word, reader)) {
                    continue;
                }
                for kind in reader.kinds() {
                    for &(file, def) in self.defs.get(&(*kind, word)).into_iter().flatten() {
                        // A field binds an env key only in a crate that loads env, or
                        // through its own env attribute (`bind::field_ref`).
                        let inert = *kind == DefKind::Field
                            && !self.loads_env
                            && !self.facts[file].defs[def].env;
                        if !inert && !self.done_defs.contains(&(file, def)) {
                            queue.push(Need::Def(file, def));
                        }
                    }
                }
            }
        }
    }

    /// The first file (by index) defining a struct field of each name, from every file's
    /// facts: the one whose field `bind::field_ref` reads.
    pub(crate) fn field_files(facts: &[Facts]) -> HashMap<String, usize> {
        let mut out: HashMap<String, usize> = HashMap::new();
        for (n, f) in facts.iter().enumerate() {
            for d in f.defs.iter().filter(|d| d.kind == DefKind::Field) {
                out.entry(f.word(d.name).to_owned()).or_insert(n);
            }
        }
        out
    }

    /// How many functions taking `self` the crate defines, by name, from every file's facts.
    pub(crate) fn method_counts<'a>(
        facts: impl IntoIterator<Item = &'a Facts>,
    ) -> HashMap<String, usize> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for name in facts.into_iter().flat_map(|f| &f.self_fns) {
            *counts.entry(name.clone()).or_default() += 1;
        }
        counts
    }

    /// The structs, enums, unions and traits the crate defines, from every file's facts.
    pub(crate) fn local_types(facts: &[Facts]) -> impl Iterator<Item = &str> {
        facts
            .iter()
            .flat_map(|f| f.local_types.iter().map(String::as_str))
    }

    /// One round of uses: needs whole the files that reach what the whole files define.
    /// Returns whether any file was added.
    pub(crate) fn grow(&mut self, known: &Known) -> bool {
        let reach = Reach::new(known, &Self::method_counts(self.facts.iter().copied()));
        self.reach = Some(reach.clone());
        let added: Vec<Need> = (0..self.facts.len())
            .filter(|&n| {
                !self.whole[n] && (known.creating.contains(&n) || reach.reaches(self.facts[n]))
            })
            .map(Need::Whole)
            .collect();
        let grew = !added.is_empty();
        self.settle(added);
        grew
    }

    /// The last round's reach: with those of the crate's other parts, what a later run needs
    /// to tell whether a change to a file the closure left out can leave the closure as it is
    /// (see [`Settled`]).
    pub(crate) fn reach(&self) -> Reach {
        self.reach.clone().unwrap_or_default()
    }
}

/// What reaches the helpers, macros, aliases and client-holding structs of the needed files
/// (one round of [`Closure::grow`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Reach {
    /// Client-creating macros and aliases of rdkafka types: any use.
    names: HashSet<String>,
    /// Free helpers: a call `name(..)` (not of a function of the caller's own file).
    free: HashSet<String>,
    /// Method helpers whose name no other method shares: `x.name(..)`, `T::name(..)`.
    methods: HashSet<String>,
    /// Associated helpers: `Owner::name(..)`, or `Self::name(..)` in an `impl Owner`.
    owned: HashSet<(String, String)>,
    /// Structs that may hold a client: an `impl` of them.
    holders: HashSet<String>,
}

impl Reach {
    fn new(known: &Known, method_counts: &HashMap<String, usize>) -> Reach {
        let mut reach = Reach {
            names: known.names.iter().cloned().collect(),
            holders: known.holders.iter().cloned().collect(),
            ..Reach::default()
        };
        let mut method_helpers: HashMap<&str, usize> = HashMap::new();
        for r in &known.reachable {
            if r.method {
                *method_helpers.entry(&r.name).or_default() += 1;
            }
            match &r.owner {
                None => {
                    reach.free.insert(r.name.clone());
                }
                Some(ty) => {
                    reach.owned.insert((ty.clone(), r.name.clone()));
                }
            }
        }
        // `x.name()` reaches a helper only when every method of that name is one (see
        // `flow::Flow::method_helper`).
        reach.methods = method_helpers
            .into_iter()
            .filter(|(name, n)| *n >= method_counts.get(*name).copied().unwrap_or(0))
            .map(|(name, _)| name.to_owned())
            .collect();
        reach
    }

    /// Whether a file reaches one of them.
    fn reaches(&self, f: &Facts) -> bool {
        let owned = |a: &str, b: &str| self.owned.contains(&(a.to_owned(), b.to_owned()));
        f.defs.iter().any(|d| {
            matches!(d.kind, DefKind::Impl | DefKind::DefaultImpl)
                && self.holders.contains(f.word(d.name))
        }) || (0..f.words.len()).any(|w| {
            let word = f.words[w].as_str();
            f.in_code[w] && self.names.contains(word)
                || f.calls[w] && self.free.contains(word) && !f.defines_fn(word)
                || f.methods[w] && self.methods.contains(word)
        }) || f.paths.iter().any(|&(a, b)| {
            let (a, b) = (f.word(a), f.word(b));
            owned(a, b)
                || self.methods.contains(b)
                || a == "Self"
                    && f.defs.iter().any(|d| {
                        matches!(d.kind, DefKind::Impl | DefKind::DefaultImpl)
                            && owned(f.word(d.name), b)
                    })
        })
    }
}

/// What a crate's closure was computed from, beyond the needed files themselves: kept with the
/// cached results so that a later run can tell whether a changed file it left out changes
/// anything (it does not when it is still no seed, still reaches nothing, and defines and
/// adds to the crate-wide facts what it did).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Settled {
    reach: Reach,
    /// Each file's share of the crate-wide facts ([`Facts::share`]), in the crate's order
    /// (moved into the cache entry by path).
    pub shares: Vec<u64>,
}

impl Settled {
    /// What the closures of a crate's parts (their `reaches`) were computed from, with the
    /// crate's `facts`. The parts share no helper, macro, alias or holder, and every method of
    /// a name is in one part, so together they reach what one closure of the crate would.
    pub(crate) fn new(reaches: impl IntoIterator<Item = Reach>, facts: &[Facts]) -> Settled {
        let mut reach = Reach::default();
        for part in reaches {
            reach.names.extend(part.names);
            reach.free.extend(part.free);
            reach.methods.extend(part.methods);
            reach.owned.extend(part.owned);
            reach.holders.extend(part.holders);
        }
        Settled {
            reach,
            shares: facts.iter().map(Facts::share).collect(),
        }
    }

    /// Whether a file the closure did not need, now with `facts` (and `share` its share of
    /// the crate-wide facts before), leaves the closure and the crate-wide facts as they were.
    pub(crate) fn keeps(&self, share: Option<u64>, facts: &Facts) -> bool {
        // The same share means the same definitions: a file that was the chosen definer of
        // no name the closure looked up is still none (else it would have been needed).
        !(facts.seed || facts.maybe_seed || facts.env_loader)
            && share == Some(facts.share())
            && !self.reach.reaches(facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(f: &Facts, kind: DefKind) -> Vec<&str> {
        let mut v: Vec<&str> = f
            .defs
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| f.word(d.name))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn definitions_as_the_index_sees_them() {
        let f = facts(
            "const A: &'static str = \"x\";\nstatic mut B: u8 = 0;\nfn p(x: *const u8) {}\n\
             type Kc = rdkafka::ClientConfig;\nstruct S { #[arg(env = \"K\")] timeout_ms: u64, pub(crate) name: Vec<(u8, u8)> }\n\
             enum E { A { inner: u8 } }\ntrait T { fn m(&self); fn d(&self) {} }\n\
             impl<X> T for crate::a::Outer<X> where X: Copy { fn m(&self) {} }\n\
             impl Default for S { fn default() -> Self { Self { timeout_ms: A, name: vec![] } } }\n\
             mod inner { pub struct Inside; }\nfn body() { struct Hidden; const NOT: u8 = 1; }\n\
             macro_rules! make { () => {} }\n",
        );
        assert_eq!(defs(&f, DefKind::Const), ["A", "B"]);
        assert_eq!(defs(&f, DefKind::Alias), ["Kc"]);
        assert_eq!(defs(&f, DefKind::Struct), ["Inside", "S"]);
        assert_eq!(defs(&f, DefKind::Field), ["name", "timeout_ms"]);
        assert_eq!(defs(&f, DefKind::Impl), ["Outer"]);
        assert_eq!(defs(&f, DefKind::DefaultImpl), ["S"]);
        assert_eq!(defs(&f, DefKind::Macro), ["make"]);
        assert_eq!(f.local_types, ["E", "Inside", "S", "T"]);
        // The trait's declaration has no body; `d` and the impl's `m` do.
        let mut self_fns = f.self_fns.clone();
        self_fns.sort_unstable();
        assert_eq!(self_fns, ["d", "m"]);
        let env: Vec<&str> = f
            .defs
            .iter()
            .filter(|d| d.env)
            .map(|d| f.word(d.name))
            .collect();
        assert_eq!(env, ["timeout_ms"]);
        // `'static` is a lifetime, not the keyword.
        assert!(
            !f.words
                .iter()
                .any(|w| w == "static" && defs(&f, DefKind::Const).contains(&"str"))
        );
        assert!(f.seed, "names rdkafka");
    }

    #[test]
    fn seeds_and_maybe_seeds() {
        let seed = |text: &str| facts(text).seed;
        assert!(seed("fn f(c: ClientConfig) {}"));
        assert!(seed("fn f() { let c = x.create(); }"));
        assert!(seed("fn f() { let c = x.create_with_context(ctx); }"));
        assert!(seed("// kafka-lint: allow(unused-suppression)\nfn f() {}"));
        assert!(!seed("fn f() { OpenOptions::new().create(true); }"));
        assert!(!seed(
            "// rdkafka in a comment\nfn f() { let s = \"ClientConfig\"; }"
        ));
        let maybe = facts("fn f() { TlsSettings::from_config(&x); }");
        assert!(!maybe.seed && maybe.maybe_seed);
    }

    #[test]
    fn calls_methods_paths_and_attribute_strings() {
        let f = facts(
            "#[serde(default = \"defaults::session\")]\nfn g() { helper(1); x.method(); a::b(); \
             let s = \"not_a_name\"; t::<u8>(); }",
        );
        let flagged = |flags: &[bool]| -> Vec<&str> {
            let mut v: Vec<&str> = (0..f.words.len())
                .filter(|&w| flags[w])
                .map(|w| f.words[w].as_str())
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(flagged(&f.calls), ["b", "g", "helper", "serde", "t"]);
        assert_eq!(flagged(&f.methods), ["method"]);
        assert_eq!(flagged(&f.in_strings), ["defaults", "session"]);
        let paths: Vec<(&str, &str)> = f
            .paths
            .iter()
            .map(|&(a, b)| (f.word(a), f.word(b)))
            .collect();
        assert!(paths.contains(&("a", "b")));
    }

    /// The free function `consumer` of file 0 creates a client.
    fn creator_in_first_file() -> Known {
        Known {
            reachable: vec![Reachable {
                name: "consumer".into(),
                method: false,
                owner: None,
            }],
            creating: vec![0],
            ..Known::default()
        }
    }

    #[test]
    fn the_closure_follows_definitions_and_uses() {
        // 0 creates a consumer from a helper of 1 and a constant of 2; 3 calls 0's creator;
        // 4 has nothing to do with either; 5 defines another `GROUP` after 2 (the index
        // keeps the first).
        let files = [
            "use rdkafka::ClientConfig;\npub fn consumer() -> StreamConsumer { base().set(\"group.id\", GROUP).create().unwrap() }",
            "pub fn base() -> Kc { Kc::new() }",
            "pub const GROUP: &str = \"g\";",
            "fn main() { let c = kafka::consumer(); }",
            "fn unrelated() { let x = 1; }",
            "pub const GROUP: &str = \"other\";",
        ];
        let facts: Vec<Facts> = files.iter().map(|t| facts(t)).collect();
        let mut closure = Closure::new(facts.iter().collect(), false);
        assert!(closure.needed(0) && closure.needed(2));
        assert!(!closure.needed(3) && !closure.needed(5));
        let known = Known {
            names: vec!["Kc".into()],
            ..creator_in_first_file()
        };
        assert!(closure.grow(&known));
        assert!(closure.needed(1), "uses the alias `Kc`");
        assert!(closure.needed(3), "calls the creator");
        assert!(!closure.needed(4) && !closure.needed(5));
        assert!(!closure.grow(&known));
    }

    #[test]
    fn a_file_left_out_stays_out_while_it_defines_the_same_and_reaches_nothing() {
        let files = [
            "use rdkafka::ClientConfig;\npub fn consumer() -> StreamConsumer { ClientConfig::new().create().unwrap() }",
            "pub fn unrelated() -> u32 { 1 }",
        ];
        let lexed: Vec<Facts> = files.iter().map(|t| facts(t)).collect();
        let mut closure = Closure::new(lexed.iter().collect(), false);
        let known = creator_in_first_file();
        assert!(!closure.grow(&known));
        assert!(!closure.needed(1));
        let settled = Settled::new([closure.reach()], &lexed);
        let share = Some(settled.shares[1]);
        assert!(settled.keeps(share, &facts("pub fn unrelated() -> u32 { 2 }")));
        // Calls the creator now; defines another function; mentions rdkafka.
        assert!(!settled.keeps(share, &facts("pub fn unrelated() -> u32 { consumer(); 2 }")));
        assert!(!settled.keeps(
            share,
            &facts("pub fn unrelated() -> u32 { 1 }\nfn more() {}")
        ));
        assert!(!settled.keeps(share, &facts("pub fn unrelated() -> rdkafka::X { 1 }")));
    }

    #[test]
    fn own_functions_are_top_level_free_functions_of_a_file_without_inline_modules() {
        let f = facts("fn a() {}\nimpl X { fn b(&self) {} fn c() {} }\nfn d(self: Box<Self>) {}\n");
        assert_eq!(f.own_fns, Some(vec!["a".to_owned()]));
        assert!(f.defines_fn("a") && !f.defines_fn("c"));
        let with_mod = facts("fn a() {}\nmod tests { fn t() {} }\n");
        assert_eq!(with_mod.own_fns, None);
        assert!(!with_mod.defines_fn("a"));
    }

    /// Whether `live` keeps the body of the free function `name` of `text` (its text runs
    /// from `fn` to the first `}` at the start of a line).
    fn keeps(live: &Live, (facts, file): (&Facts, usize), text: &str, name: &str) -> bool {
        let at = text.find(&format!("fn {name}(")).expect("function in text");
        let end = at + text[at..].find("\n}").map_or(text.len() - at, |e| e + 2);
        live.keeps((facts, file), name, &text[at..end], None)
    }

    #[test]
    fn live_bodies_are_those_that_reach_a_client() {
        let helpers = "use rdkafka::config::ClientConfig;\n\
            pub fn base() -> ClientConfig {\n    ClientConfig::new()\n}\n\
            pub fn work(xs: &[u64]) -> u64 {\n    let v = Vec::new();\n    xs.len() as u64 + v.len() as u64\n}\n\
            #[derive(serde::Deserialize)]\npub struct S {\n    #[serde(default = \"session\")]\n    pub t: u64,\n}\n\
            pub fn session() -> u64 {\n    6000\n}\n";
        let callers = "use crate::helpers::base as make;\n\
            pub fn consumer() -> rdkafka::consumer::StreamConsumer {\n    make().create().unwrap()\n}\n\
            pub fn outer() -> u64 {\n    let c = consumer();\n    0\n}\n\
            pub fn unrelated() -> u64 {\n    helper_of_nothing(1)\n}\n\
            trait Ext {\n    fn tune(&mut self);\n}\n\
            impl Ext for ClientConfig {\n    fn tune(&mut self) {\n        self.set(\"a\", \"b\");\n    }\n}\n\
            impl Other {\n    fn tune(&mut self) {\n        self.x = 1;\n    }\n}\n";
        // `base()` in a file with a `base` of its own calls that one.
        let own = "pub fn base() -> u64 {\n    1\n}\npub fn user() -> u64 {\n    base()\n}\n";
        let other = "pub fn user() -> u64 {\n    base();\n    0\n}\n";
        let facts = [facts(helpers), facts(callers), facts(own), facts(other)];
        let live = Live::new(&facts, &Closure::method_counts(&facts));
        assert!(!keeps(&live, (&facts[2], 2), own, "user"));
        assert!(keeps(&live, (&facts[3], 3), other, "user"));
        assert!(
            keeps(&live, (&facts[0], 0), helpers, "base"),
            "names the config type"
        );
        assert!(
            !keeps(&live, (&facts[0], 0), helpers, "work"),
            "`Vec::new()` is no helper"
        );
        assert!(
            keeps(&live, (&facts[0], 0), helpers, "session"),
            "named by `default = ..`"
        );
        assert!(keeps(&live, (&facts[1], 1), callers, "consumer"), "creates");
        assert!(
            keeps(&live, (&facts[1], 1), callers, "outer"),
            "calls a creator"
        );
        assert!(!keeps(&live, (&facts[1], 1), callers, "unrelated"));
        assert!(live.keeps(
            (&facts[1], 1),
            "tune",
            "fn tune(&mut self) {\n        self.set(\"a\", \"b\");\n    }",
            Some("impl Ext for ClientConfig ")
        ));
        assert!(!live.keeps(
            (&facts[1], 1),
            "tune",
            "fn tune(&mut self) {\n        self.x = 1;\n    }",
            Some("impl Other ")
        ));
        // A use of a client held in a field of `self`.
        assert!(live.keeps(
            (&facts[1], 1),
            "poll",
            "fn poll(&self) {\n        self.c.recv();\n    }",
            Some("impl Source ")
        ));
        assert!(!live.keeps(
            (&facts[1], 1),
            "poll",
            "fn poll(&self) {\n        self.c.recv();\n    }",
            None
        ));
    }

    #[test]
    fn blanked_text_keeps_every_offset() {
        let text = "use rdkafka::config::ClientConfig;\n\
            fn work() -> &'static str {\n    \"café ☕\"\n}\n\
            fn base() -> ClientConfig {\n    ClientConfig::new()\n}\n\
            impl Default for S {\n    fn default() -> Self {\n        S { t: 6000 }\n    }\n}\n";
        let facts = [facts(text)];
        let live = Live::new(&facts, &Closure::method_counts(&facts));
        let blanked = live
            .blank((&facts[0], 0), text, None)
            .expect("a body is blanked");
        let at = |t: &str, w: &str| t.find(w).expect("word");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        let body = &blanked[at(text, "str {") + 5..at(text, "\"\n}") + 2];
        assert!(body.trim().is_empty() && body.contains('\n'), "{body:?}");
        assert!(blanked.contains("ClientConfig::new()"), "a read body stays");
        assert!(
            blanked.contains("S { t: 6000 }"),
            "`impl Default` bodies stay"
        );
        assert_eq!(at(&blanked, "fn base"), at(text, "fn base"));
        assert!(crate::rust::parse::parse(&blanked).is_ok());
    }

    #[test]
    fn module_items_end_where_syn_ends_them() {
        let text = "#![allow(dead_code)]\n\
            //! The crate.\n\
            use std::time::Duration;\n\
            /// Documented, with a lifetime.\n\
            #[derive(Debug)]\n\
            pub(crate) struct S<'a>(&'a str);\n\
            const X: u8 = if true { 1 } else { 2 };\n\
            static Y: S<'static> = S { 0: \"}\" };\n\
            fn lookup<'a>(&'a self) -> [u8; 2] { [0; 2] }\n\
            mod inner {\n    use super::*;\n    impl S<'_> { fn f() {} }\n}\n\
            mod other;\n\
            m! { a }\n\
            n!(b);\n\
            fn cut(";
        let items = facts(text).items;
        let shown: Vec<(&str, bool)> = items
            .iter()
            .map(|i| (&text[i.start as usize..i.end as usize], i.kept))
            .collect();
        assert_eq!(
            shown,
            [
                ("use std::time::Duration;", true),
                ("#[derive(Debug)]\npub(crate) struct S<'a>(&'a str);", false),
                ("const X: u8 = if true { 1 } else { 2 };", false),
                ("static Y: S<'static> = S { 0: \"}\" };", false),
                ("fn lookup<'a>(&'a self) -> [u8; 2] { [0; 2] }", false),
                ("use super::*;", true),
                ("impl S<'_> { fn f() {} }", false),
                ("mod other;", true),
                ("m! { a }", false),
                ("n!(b);", false),
            ]
        );
        let documented = &items[1];
        let gap = &text[documented.gap as usize..documented.start as usize];
        assert_eq!(gap.trim(), "/// Documented, with a lifetime.");
    }

    #[test]
    fn a_file_read_for_its_definitions_keeps_them_and_its_uses() {
        let text = "use crate::settings::Timeouts;\n\
            /// Kafka's settings (ünïcode).\n\
            pub struct Kafka {\n    pub session_timeout_ms: u32,\n}\n\
            /// Not needed.\n\
            pub enum Mode { A, B }\n\
            impl Kafka {\n    pub fn describe(&self) -> String { format!(\"{self:?} ☕\") }\n}\n\
            #[cfg(test)]\n\
            mod tests {\n    use super::*;\n    #[test]\n    fn t() { assert!(true); }\n}\n";
        let facts = [facts(text)];
        let live = Live::new(&facts, &Closure::method_counts(&facts));
        let kafka = facts[0]
            .defs
            .iter()
            .position(|d| d.kind == DefKind::Struct && facts[0].word(d.name) == "Kafka")
            .expect("the struct is a definition");
        let blanked = live
            .blank(
                (&facts[0], 0),
                text,
                Some(&Partial {
                    defs: vec![kafka],
                    live: false,
                }),
            )
            .expect("items are blanked");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        for kept in [
            "use crate::settings::Timeouts;",
            "/// Kafka's settings (ünïcode).",
            "pub struct Kafka {",
            "mod tests {",
            "use super::*;",
        ] {
            assert_eq!(blanked.find(kept), text.find(kept), "{kept} stays in place");
        }
        for gone in [
            "Not needed",
            "enum Mode",
            "impl Kafka",
            "describe",
            "#[test]",
            "fn t()",
        ] {
            assert!(!blanked.contains(gone), "{gone} is blanked: {blanked}");
        }
        let parsed = crate::rust::parse::parse(&blanked).expect("the blanked text parses");
        assert_eq!(parsed.ast.items.len(), 3, "use, struct, mod");
    }

    #[test]
    fn a_file_calling_from_config_keeps_the_code_that_may_create() {
        let text = "use tls::TlsSettings;\n\
            type Tls = TlsSettings;\n\
            /// Not read: no body here calls anything that may create a client.\n\
            pub struct Options {\n    pub verify: bool,\n}\n\
            pub enum Mode { Strict, Lax }\n\
            pub fn settings(o: &Options) -> Tls {\n    Tls::from_config(o) // «créé»\n}\n\
            pub fn describe(m: Mode) -> &'static str {\n    match m { Mode::Strict => \"strict\", Mode::Lax => \"lax\" }\n}\n";
        let facts = [facts(text)];
        assert!(facts[0].maybe_seed && !facts[0].seed);
        let live = Live::new(&facts, &Closure::method_counts(&facts));
        let part = Partial {
            defs: Vec::new(),
            live: true,
        };
        let blanked = live
            .blank((&facts[0], 0), text, Some(&part))
            .expect("items are blanked");
        assert_eq!(blanked.len(), text.len());
        for kept in [
            "use tls::TlsSettings;",
            "type Tls = TlsSettings;",
            "Tls::from_config(o) // «créé»",
        ] {
            assert_eq!(blanked.find(kept), text.find(kept), "{kept} stays in place");
        }
        for gone in ["Not read", "struct Options", "enum Mode", "fn describe"] {
            assert!(!blanked.contains(gone), "{gone} is blanked: {blanked}");
        }
        assert!(crate::rust::parse::parse(&blanked).is_ok());
    }
}
