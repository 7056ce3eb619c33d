//! Embeds the default dataset (`data/` and `seeds/`) into the binary: writes a table of
//! `(path, contents)` pairs that `src/data/embedded.rs` includes.
use std::fs;
use std::io::Write;
use std::path::Path;

fn collect(dir: &Path, ext: &str, out: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut names: Vec<_> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    names.sort();
    for p in names {
        out.push(p.to_string_lossy().replace('\\', "/"));
    }
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    let mut files = Vec::new();
    for f in ["data/jurisdictions.csv", "data/observations.csv"] {
        files.push(root.join(f).to_string_lossy().replace('\\', "/"));
    }
    collect(&root.join("data/plans"), "toml", &mut files);
    collect(&root.join("seeds"), "toml", &mut files);
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=data/plans");
    println!("cargo:rerun-if-changed=seeds");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut f = fs::File::create(Path::new(&out_dir).join("embedded_files.rs"))
        .unwrap_or_else(|e| panic!("cannot write embedded file table: {e}"));
    writeln!(f, "&[").ok();
    for path in &files {
        let rel = Path::new(path)
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| path.clone());
        writeln!(f, "    ({rel:?}, include_str!({path:?})),").ok();
    }
    writeln!(f, "]").ok();
}
