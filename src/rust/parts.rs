//! Independent parts of a crate: groups of files that the analysis can never connect, found
//! from the token facts of [`super::scope`] before anything is parsed, so that each part is
//! parsed, analysed and dropped on its own (and the parts in parallel). Peak memory is then
//! that of the largest part, not of the crate; a crate whose files all call one another is
//! one part, as before.
//!
//! Everything the analysis (the closure of needed files, the index and the flow) looks up
//! across files, it looks up by a name the looking file contains: a constant, alias, struct,
//! field or macro by its name, an `impl` by its type's name, a function by its name when it
//! may be a config helper or a creator (its body is one [`Live`] reads) or when a string
//! names it (`#[serde(default = "..")]`). Calls of other functions never reach another file,
//! and enums, unions and traits are asked about only by name, which the facts of every file
//! answer. So two files are in one part when one of them contains a word the other defines in
//! one of those ways, with one exception that keeps files apart that merely share names: a
//! **private** name. A function `w` at the top
//! level of a file without inline modules, which the file defines only as that function and
//! never names through a path (`m::w`, but for rdkafka's own modules), a `use .. as` or a
//! string, is what every
//! bare use of `w` in that file resolves to in the analysis (`flow::Flow::helper`,
//! `creators::creators`, `Closure`'s own-function rule), never another file's `w`. Files
//! that all define `w` privately are not joined by `w`; a file that names `w` in any other
//! way is joined with every file defining it. `x.into()` may run the crate's one
//! `impl From<T> for ClientConfig`: it counts as a use of `from`.
//!
//! `--no-prefilter` analyses each crate whole, in one part: the tests that compare the two
//! (every fixture and the demo) prove that splitting changes nothing.

use std::collections::{HashMap, HashSet};

use super::scope::{DefKind, Facts, Live};

/// The parts of a crate that the analysis must look at: each a list of file indexes in
/// ascending order, the parts ordered by their first file. Parts without a file that can
/// create or configure a client by itself (a seed, or a file calling `from_config`) are left
/// out: the analysis would parse nothing there.
pub(crate) fn parts(facts: &[Facts], live: &Live) -> Vec<Vec<usize>> {
    let private: Vec<HashSet<&str>> = facts.iter().map(private_names).collect();
    // Files by the names they define: `items` as anything but a function (what the closure
    // and the index look up by name in code), `fns` as a function.
    let mut items: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut fns: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, f) in facts.iter().enumerate() {
        let mut seen = HashSet::new();
        for d in &f.defs {
            // Enums, unions and traits are asked about only by name, which every file's facts
            // answer (`CrateWide`).
            let into = match d.kind {
                DefKind::Type => continue,
                DefKind::Fn => &mut fns,
                _ => &mut items,
            };
            let name = f.word(d.name);
            if seen.insert((name, d.kind == DefKind::Fn)) {
                into.entry(name).or_default().push(n);
            }
        }
        for name in f.self_fns.iter().chain(f.own_fns.iter().flatten()) {
            if seen.insert((name.as_str(), true)) {
                fns.entry(name).or_default().push(n);
            }
        }
    }
    // A call in code runs another file's function only when the function may be a helper or
    // a creator (its body is read, see `Live`), or an attribute names it; a string names any
    // function (`#[serde(default = "..")]`).
    let in_strings: HashSet<&str> = facts.iter().flat_map(string_words).collect();
    fns.retain(|name, _| live.names_fn(name) || in_strings.contains(name));
    let mut definers: HashMap<&str, Vec<usize>> = items;
    for (name, files) in fns {
        let all = definers.entry(name).or_default();
        all.extend(files);
        all.sort_unstable();
        all.dedup();
    }
    // Whether every file defining a name defines it privately.
    let all_private: HashMap<&str, bool> = definers
        .iter()
        .map(|(name, files)| (*name, files.iter().all(|&n| private[n].contains(name))))
        .collect();
    let mut sets = Sets::new(facts.len());
    // The files defining a name that is not private everywhere are one part (each names it).
    for (name, files) in &definers {
        if !all_private[name] {
            for &d in &files[1..] {
                sets.join(files[0], d);
            }
        }
    }
    for (n, f) in facts.iter().enumerate() {
        let into = f.words.iter().any(|w| w == "into").then_some("from");
        for word in f.words.iter().map(String::as_str).chain(into) {
            let Some(files) = definers.get(word) else {
                continue;
            };
            match (all_private[word], private[n].contains(word)) {
                (true, true) => {}
                // Another way of naming it may reach any of them.
                (true, false) => files.iter().for_each(|&d| sets.join(n, d)),
                (false, _) => sets.join(n, files[0]),
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for n in 0..facts.len() {
        let root = sets.root(n);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(n);
    }
    groups.retain(|g| g.iter().any(|&n| facts[n].seed || facts[n].maybe_seed));
    groups
}

/// The words of a file's string literals.
fn string_words(f: &Facts) -> impl Iterator<Item = &str> {
    f.words
        .iter()
        .zip(&f.in_strings)
        .filter(|(_, in_string)| **in_string)
        .map(|(w, _)| w.as_str())
}

/// The names a file defines privately (see the module documentation).
fn private_names(f: &Facts) -> HashSet<&str> {
    let Some(own) = &f.own_fns else {
        return HashSet::new();
    };
    if f.defs.iter().any(|d| d.kind == DefKind::Macro) {
        // A macro's body may be read where the macro is invoked.
        return HashSet::new();
    }
    let mut own_count: HashMap<&str, usize> = HashMap::new();
    for name in own {
        *own_count.entry(name.as_str()).or_default() += 1;
    }
    // Any other definition of the name (a method, an associated or nested function, a
    // struct, a field, a constant) makes it a name other files may reach.
    let mut fn_defs: HashMap<&str, usize> = HashMap::new();
    let mut other_defs: HashSet<&str> = HashSet::new();
    for d in &f.defs {
        if d.kind == DefKind::Fn {
            *fn_defs.entry(f.word(d.name)).or_default() += 1;
        } else {
            other_defs.insert(f.word(d.name));
        }
    }
    let named_otherwise: HashSet<&str> = f
        .paths
        .iter()
        // `rdkafka::consumer::..` names rdkafka's module, never the crate's `consumer()`.
        .filter(|&&(a, _)| f.word(a) != "rdkafka")
        .map(|&(_, b)| b)
        .chain(f.renamed.iter().flat_map(|&(a, b)| [a, b]))
        .chain(f.defaults.iter().copied())
        .map(|w| f.word(w))
        .chain(f.self_fns.iter().map(String::as_str))
        .chain(f.local_types.iter().map(String::as_str))
        // A string names a function by the first file defining it (the closure's rule).
        .chain(string_words(f))
        .collect();
    own_count
        .into_iter()
        .filter(|(name, n)| {
            fn_defs.get(name) == Some(n)
                && !other_defs.contains(name)
                && !named_otherwise.contains(name)
        })
        .map(|(name, _)| name)
        .collect()
}

/// Disjoint sets of files (union by size, path halving).
struct Sets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn root(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    fn join(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::parts;
    use crate::rust::scope::{Closure, Live, facts};

    fn split(files: &[&str]) -> Vec<Vec<usize>> {
        let lexed: Vec<_> = files.iter().map(|t| facts(t)).collect();
        parts(&lexed, &Live::new(&lexed, &Closure::method_counts(&lexed)))
    }

    const BASE: &str = "use rdkafka::config::ClientConfig;\n\
        fn base() -> ClientConfig { ClientConfig::new() }\n\
        pub fn make() -> rdkafka::consumer::StreamConsumer { base().create().unwrap() }\n";

    #[test]
    fn files_that_share_only_private_functions_are_apart() {
        assert_eq!(split(&[BASE, BASE, "pub mod a;\npub mod b;\n"]), [[0], [1]]);
    }

    #[test]
    fn a_use_of_another_files_definition_joins_them() {
        let settings = "pub struct Settings { pub session_ms: u64 }\n";
        let user = "use rdkafka::config::ClientConfig;\n\
            fn c(s: &crate::settings::Settings) { ClientConfig::new().set(\"a\", s.session_ms.to_string()); }\n";
        assert_eq!(split(&[settings, user, "fn unrelated() {}\n"]), [[0, 1]]);
    }

    #[test]
    fn private_names_stop_being_private_when_named_otherwise() {
        // A path to the name, a method of that name, a second definition, an inline module
        // or a macro: any of these may reach another file's `base`.
        let path = format!("{BASE}fn other() {{ crate::a::base(); }}\n");
        let method = format!("{BASE}struct S;\nimpl S {{ fn base(&self) {{}} }}\n");
        let inline = format!("{BASE}mod tests {{ fn t() {{}} }}\n");
        let macro_ = format!("{BASE}macro_rules! m {{ () => {{}} }}\n");
        for other in [path, method, inline, macro_] {
            assert_eq!(split(&[BASE, &other]), [[0, 1]], "{other}");
        }
    }

    #[test]
    fn only_functions_that_may_build_or_create_join_their_callers() {
        let caller = "use rdkafka::config::ClientConfig;\n\
            fn c() { let n = crate::x::work(); ClientConfig::new().set(\"a\", n.to_string()); }\n";
        let work = "pub fn work() -> u64 { 6000 }\n";
        assert_eq!(split(&[work, caller]), [[1]]);
        // Named in a string (`#[serde(default = "work")]`), any function may be read.
        let named = format!(
            "{caller}#[derive(Default)]\nstruct S {{ #[serde(default = \"work\")] t: u64 }}\n"
        );
        assert_eq!(split(&[work, &named]), [[0, 1]]);
        let base = "pub fn base() -> rdkafka::config::ClientConfig { rdkafka::config::ClientConfig::new() }\n";
        let user = "fn c() { crate::x::base().create().unwrap(); }\n";
        assert_eq!(split(&[base, user]), [[0, 1]]);
    }

    #[test]
    fn many_definitions_of_one_name_in_a_file_are_counted_without_overflow() {
        let fields = format!(
            "{BASE}pub struct A {{ pub id: u32 }}\npub struct B {{ pub id: u32 }}\n\
             pub struct C {{ pub id: u32 }}\npub struct D {{ pub id: u32 }}\nfn id() {{}}\n"
        );
        assert_eq!(split(&[BASE, &fields]), [[0], [1]]);
    }

    #[test]
    fn into_joins_the_files_defining_from() {
        let conversion = "use rdkafka::config::ClientConfig;\nstruct K;\n\
            impl From<K> for ClientConfig { fn from(_: K) -> Self { ClientConfig::new() } }\n";
        // Nothing but `into` names what the first file defines.
        let user = "fn make(x: Other) -> Target { x.into() }\n";
        assert_eq!(split(&[conversion, user]), [[0, 1]]);
    }

    #[test]
    fn parts_without_a_seed_are_left_out() {
        assert_eq!(
            split(&["fn a() {}\n", "fn b() { a(); }\n"]),
            Vec::<Vec<usize>>::new()
        );
    }
}
