//! `docs/rules.md` cannot rot: every deciding function it names exists where its path says,
//! every test it names exists, and every rule id of design §4 has a row.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() && !matches!(name, "target" | "node_modules" | ".git") {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The source file of `crate::a::b::item` (or `crate::a::Type::method`).
fn file_of(path: &[&str]) -> Option<PathBuf> {
    let root = repo().join(path[0]).join("src");
    // Longest module prefix that is a file.
    (1..path.len()).rev().find_map(|n| {
        let modules = &path[1..n];
        if modules.is_empty() {
            return Some(root.join("lib.rs"));
        }
        let file = root.join(modules.join("/")).with_extension("rs");
        let dir = root.join(modules.join("/")).join("mod.rs");
        [file, dir].into_iter().find(|f| f.exists())
    })
}

fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

#[test]
fn every_rule_names_a_function_and_tests_that_exist() {
    let table = std::fs::read_to_string(repo().join("docs/rules.md")).expect("docs/rules.md");
    let mut sources = Vec::new();
    for dir in [
        "workflows",
        "activities",
        "api",
        "worker",
        "platform",
        "tests",
    ] {
        rust_files(&repo().join(dir), &mut sources);
    }
    let all_code: String = sources
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for line in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| rule"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (id, function, tests) = (cells[1], cells[3], cells[4]);
        ids.insert(id.to_string());
        for f in code_spans(function) {
            let path: Vec<&str> = f.split("::").collect();
            let item = path.last().copied().unwrap_or("");
            match file_of(&path) {
                Some(file) => {
                    let text = std::fs::read_to_string(&file).unwrap_or_default();
                    if !text.contains(&format!("fn {item}")) {
                        problems.push(format!("{id}: no fn {item} in {}", file.display()));
                    }
                }
                None => problems.push(format!("{id}: no source file for {f}")),
            }
        }
        let named = code_spans(tests);
        if named.is_empty() {
            problems.push(format!("{id}: no tests named"));
        }
        for t in named {
            if !all_code.contains(&format!("fn {t}(")) {
                problems.push(format!("{id}: no test fn {t}"));
            }
        }
    }
    let design = ["W", "O", "M", "N"];
    let counts = [6, 8, 7, 3];
    for (prefix, n) in design.iter().zip(counts) {
        for i in 1..=n {
            if !ids.contains(&format!("{prefix}{i}")) {
                problems.push(format!("design rule {prefix}{i} has no row"));
            }
        }
    }
    assert!(problems.is_empty(), "docs/rules.md: {problems:#?}");
}
