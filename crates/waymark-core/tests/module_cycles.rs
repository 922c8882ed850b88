//! No import cycles between waymark-core's modules: following the code through the pipeline
//! should never go back and forth between two rooms.
//!
//! Each `crate::…` and `super::…` path in a module's code (comments and test modules aside) is
//! an edge from that module to the longest module the path names. An edge between two modules
//! counts between their ancestors that are siblings (`analysis::direction::service` → `report::charts` is
//! `analysis` → `report`); a module and its own parent may use each other. The sibling graph
//! must have no cycle. Test modules (`#[cfg(test)]` blocks and `tests.rs` files) may reach
//! anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

type Module = Vec<String>;

fn modules(src: &Path, prefix: &Module, out: &mut BTreeMap<Module, String>) {
    for entry in fs::read_dir(src).expect("src").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            let mut module = prefix.clone();
            module.push(name);
            modules(&path, &module, out);
        } else if name == "tests.rs" {
            continue;
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let mut module = prefix.clone();
            if stem != "mod" && stem != "lib" {
                module.push(stem.to_string());
            }
            out.insert(module, fs::read_to_string(&path).expect("source"));
        }
    }
}

/// The code of a module without comments and without its test module.
fn code_of(source: &str) -> String {
    let body = source.split("#[cfg(test)]").next().unwrap_or(source);
    body.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a path expression names after its root: `a::b::{c, d::e}` gives
/// `[a, b, c]` and `[a, b, d, e]` (items included; the caller keeps the longest module).
fn paths_after(text: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        segments.push(name);
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => return vec![segments],
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![segments];
    };
    let mut depth = 0;
    let mut item = String::new();
    let mut found = Vec::new();
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                found.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    found.push(item);
    found
        .iter()
        .flat_map(|item| paths_after(item.trim()))
        .map(|tail| segments.iter().cloned().chain(tail).collect())
        .collect()
}

fn references(module: &Module, code: &str, known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let mut found = BTreeSet::new();
    for (root, mut base) in [("crate::", Vec::new()), ("super::", module.clone())] {
        let mut start = 0;
        while let Some(at) = code[start..].find(root) {
            let from = start + at;
            start = from + root.len();
            // Part of a longer word (`notcrate::`) or of `super::super::` handled below.
            if code[..from].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut rest = &code[start..];
            if root == "super::" {
                base = module.clone();
                base.pop();
                while let Some(after) = rest.strip_prefix("super::") {
                    base.pop();
                    rest = after;
                }
            }
            for tail in paths_after(rest) {
                let full: Module = base.iter().cloned().chain(tail).collect();
                let longest = (0..=full.len())
                    .rev()
                    .map(|n| full[..n].to_vec())
                    .find(|m| known.contains(m));
                if let Some(target) = longest {
                    found.insert(target);
                }
            }
        }
    }
    found
}

/// The edge between the children of the two modules' deepest common ancestor, or `None` when
/// one contains the other.
fn sibling_edge(from: &Module, to: &Module) -> Option<(Module, Module)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((from[..=common].to_vec(), to[..=common].to_vec()))
}

fn name(module: &Module) -> String {
    module.join("::")
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    modules(&src, &Vec::new(), &mut sources);
    let known: BTreeSet<Module> = sources.keys().cloned().collect();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for (module, source) in &sources {
        for target in references(module, &code_of(source), &known) {
            if let Some((a, b)) = sibling_edge(module, &target) {
                edges.insert((name(&a), name(&b)));
            }
        }
    }
    assert!(
        edges.len() > 30,
        "only {} edges found: was the source parsed?",
        edges.len()
    );
    // Two-module cycles, and longer ones through reachability.
    let reach = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                stack.extend(
                    edges
                        .iter()
                        .filter(|(a, _)| *a == m)
                        .map(|(_, b)| b.clone()),
                );
            }
        }
        false
    };
    let mut cycles: BTreeSet<(String, String)> = BTreeSet::new();
    for (a, b) in &edges {
        if reach(b, a) {
            let pair = if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            cycles.insert(pair);
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other (directly or through others): {cycles:?}"
    );
}
