//! The layering the project keeps: rules and renderers read the model only, never a
//! front-end's working types (`crate::rust`, the env parser), and no rule reaches into another
//! rule's file (what they share lives in `rules/mod.rs` and `rules/relation.rs`).

#![allow(clippy::unwrap_used)] // Test helpers: a failed unwrap is a failed test.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn rules_and_renderers_read_only_the_model() {
    let front_ends = [
        "crate::rust",
        "crate::env::parser",
        "crate::env::keys",
        "crate::suppress",
    ];
    for dir in ["src/rules", "src/report"] {
        for (path, text) in sources(dir) {
            for front_end in front_ends {
                assert!(
                    !text.contains(front_end),
                    "{} uses {front_end}: rules and renderers read crate::model",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn rules_share_only_through_the_registry_and_the_relation_module() {
    let rules: Vec<String> = sources("src/rules")
        .iter()
        .map(|(p, _)| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| !matches!(name.as_str(), "mod" | "relation" | "levels"))
        .collect();
    for (path, text) in sources("src/rules") {
        for rule in &rules {
            let other = format!("rules::{rule}");
            assert!(
                !text.contains(&other),
                "{} uses {other}: what rules share goes into rules/mod.rs or rules/relation.rs",
                path.display()
            );
        }
    }
}

#[test]
fn the_model_does_not_depend_on_rules_or_configuration() {
    for (path, text) in sources("src/model") {
        for layer in ["crate::rules", "crate::config", "crate::report"] {
            assert!(
                !text.contains(layer),
                "{} uses {layer}: the model is what they read, not what it reads",
                path.display()
            );
        }
    }
}
