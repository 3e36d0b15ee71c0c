//! Key bytes stay inside `src/store/`: no file of the product outside it may
//! name the store's trees (`Tree::`), its codec (`codec::`) or its raw reads
//! and test hooks (`raw_range`, `raw_get`, `raw_put`, `raw_remove`). The
//! layers above read through the store's typed reads (`store/reads`); this
//! test keeps it that way.

use std::path::{Path, PathBuf};

const FORBIDDEN: [&str; 6] = [
    "codec::",
    "Tree::",
    "raw_range",
    "raw_get",
    "raw_put",
    "raw_remove",
];

/// The forbidden names `text` mentions, with their line numbers: each where
/// a name starts (`SledTree::` is not `Tree::`; `raw_put_number` is `raw_put`).
fn mentions(text: &str) -> Vec<(usize, &'static str)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for name in FORBIDDEN {
            let hit = line
                .match_indices(name)
                .any(|(at, _)| !line[..at].chars().next_back().is_some_and(ident));
            if hit {
                out.push((i + 1, name));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_file_outside_the_store_names_its_trees_codec_or_raw_reads() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let store = src.join("store");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.retain(|f| !f.starts_with(&store));
    assert!(files.len() > 50, "the source tree was found: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, name) in mentions(&text) {
            let shown = file.strip_prefix(&src).unwrap_or(file).display();
            found.push(format!("src/{shown}:{line}: {name}"));
        }
    }
    assert!(
        found.is_empty(),
        "outside src/store/, read the store through its typed reads:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_each_name_and_only_as_a_name() {
    assert_eq!(
        mentions("use crate::store::codec::{be, key};"),
        [(1, "codec::")]
    );
    assert_eq!(
        mentions("x\nstore.count(dangjian::store::Tree::Members)"),
        [(2, "Tree::")]
    );
    assert_eq!(
        mentions("s.raw_range(t, a, b, false); s.raw_get(t, k)"),
        [(1, "raw_range"), (1, "raw_get")]
    );
    assert_eq!(
        mentions("s.raw_put(\"members\", k, v); s.raw_remove(\"meta\", k)"),
        [(1, "raw_put"), (1, "raw_remove")]
    );
    assert_eq!(
        mentions("s.raw_put_number(\"meta\", k, 1)"),
        [(1, "raw_put")]
    );
    // Names that merely end in one.
    assert!(mentions("SledTree::new(); draw_get(); wire_codec::x").is_empty());
    assert!(mentions("Snap::Tree(name) => {}").is_empty());
}
