//! Report directories: built in a temporary sibling and swapped in whole ([`replace_dir`]),
//! with a [`MANIFEST`] of what litmon wrote, so that a directory holding anything else is
//! never replaced.

use std::collections::HashSet;
use std::path::Path;

use super::scratch::create_scratch_dir;
use super::stem::file_stem;
use super::write::{bad_output, output_parent, write_atomic_regular};
use crate::error::{Error, Result};

/// The file in a report directory that lists what litmon wrote there (path, size and
/// SHA-256 of every file); [`replace_dir`] replaces a directory only while it holds exactly
/// those files, unchanged.
pub const MANIFEST: &str = ".litmon-report";

/// First line of [`MANIFEST`].
const MANIFEST_HEAD: &str = "# litmon report: every file litmon wrote here (sha256, bytes, path); \
litmon replaces this directory only while it holds exactly these files";

/// Lowercase hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every entry under `root` as (relative path with `/`, metadata without following
/// symlinks), sorted by path; directories before what they hold.
fn walk(root: &Path) -> std::io::Result<Vec<(String, std::fs::Metadata)>> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<std::io::Result<_>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let m = std::fs::symlink_metadata(e.path())?;
            if m.is_dir() {
                stack.push((e.path(), r.clone()));
            }
            out.push((r, m));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Writes [`MANIFEST`] into a freshly filled report directory: every regular file in it.
fn write_manifest(dir: &Path) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut text = String::from(MANIFEST_HEAD);
    text.push('\n');
    for (rel, m) in walk(dir).map_err(io)? {
        if m.is_file() && rel != MANIFEST {
            let bytes = std::fs::read(dir.join(&rel)).map_err(io)?;
            text.push_str(&format!("{} {} {rel}\n", sha256_hex(&bytes), bytes.len()));
        }
    }
    write_atomic_regular(&dir.join(MANIFEST), text.as_bytes())
}

/// Why an existing directory may not be replaced by a report ("holds \"x\", which …"):
/// the first file (in path order) that litmon's last report there did not write, or that
/// changed since, else the first directory no listed file is in; `None` when the
/// directory is empty or holds exactly the files its [`MANIFEST`] lists.
fn foreign_entry(dir: &Path) -> std::io::Result<Option<crate::model::Text>> {
    let entries = walk(dir)?;
    if entries.is_empty() {
        return Ok(None);
    }
    let listed: std::collections::HashMap<String, (String, u64)> =
        match std::fs::symlink_metadata(dir.join(MANIFEST)) {
            Ok(m) if m.is_file() => std::fs::read_to_string(dir.join(MANIFEST))
                .unwrap_or_default()
                .lines()
                .skip(1)
                .filter_map(|l| {
                    let (hash, rest) = l.split_once(' ')?;
                    let (size, path) = rest.split_once(' ')?;
                    Some((path.to_string(), (hash.to_string(), size.parse().ok()?)))
                })
                .collect(),
            _ => Default::default(),
        };
    let dirs: HashSet<String> = listed
        .keys()
        .flat_map(|p| {
            p.match_indices('/')
                .map(|(i, _)| p[..i].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let has_manifest = std::fs::symlink_metadata(dir.join(MANIFEST)).is_ok_and(|m| m.is_file());
    let mut foreign_dir = None;
    for (rel, m) in entries {
        if rel == MANIFEST && has_manifest {
            continue;
        }
        if m.is_dir() {
            if !dirs.contains(&rel) && foreign_dir.is_none() {
                foreign_dir = Some(format!("{rel}/"));
            }
            continue;
        }
        let changed = match listed.get(&rel) {
            Some(_) if !m.is_file() => true,
            Some((hash, size)) => {
                *size != m.len() || sha256_hex(&std::fs::read(dir.join(&rel))?) != *hash
            }
            None => {
                return Ok(Some(text!(
                    "含有 {rel:?}，它不是 litmon 写出的",
                    "holds {rel:?}, which litmon did not write"
                )))
            }
        };
        if changed {
            return Ok(Some(text!(
                "含有 {rel:?}，它在 litmon 写出后被改动过",
                "holds {rel:?}, which changed since litmon wrote it"
            )));
        }
    }
    Ok(foreign_dir.map(|d| {
        text!(
            "含有 {d:?}，它不是 litmon 写出的",
            "holds {d:?}, which litmon did not write"
        )
    }))
}

/// The checks of [`replace_dir`] before anything is rendered: `Ok(None)` for a new
/// directory, `Ok(Some(metadata))` for an existing one that may be replaced; a usage error
/// (exit status 2) for a symbolic link, a file, the current directory or one of its
/// ancestors, or a directory holding anything litmon's last report there did not write.
pub fn check_report_dir(dir: &Path) -> Result<Option<std::fs::Metadata>> {
    let io = |source: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            let canonical = dir.canonicalize().map_err(io)?;
            if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) {
                if cwd.starts_with(&canonical) {
                    return Err(bad_output(
                        dir,
                        text!("是当前目录或包含当前目录；litmon 会整体替换报告目录，请给出子目录（如 -o report）", "is the current directory or holds it; litmon replaces the report \
                         directory as a whole, so give a subdirectory (e.g. -o report)"),
                    ));
                }
            }
            if let Some(why) = foreign_entry(dir).map_err(io)? {
                return Err(bad_output(dir, {
                    let (wz, we) = (&why.zh, &why.en);
                    text!(
                            "该目录已{wz}；litmon 会整体替换报告目录且不删除其他任何文件，请给出新的或空的目录",
                            "the directory already {we}; litmon replaces the report directory \
                             as a whole and deletes nothing else, so give a new or empty directory"
                        )
                }));
            }
            Ok(Some(m))
        }
        Ok(m) if m.is_symlink() => Err(bad_output(
            dir,
            text!(
                "是符号链接；请给出报告目录本身",
                "is a symbolic link; give the report directory itself"
            ),
        )),
        Ok(_) => Err(bad_output(
            dir,
            text!(
                "是文件；report -o 需要目录",
                "is a file; report -o expects a directory"
            ),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(e)),
    }
}

/// Builds a directory in a temporary sibling of `dir` with `fill`, records its files in
/// [`MANIFEST`], then swaps it in: the previous directory (empty, or a previous report
/// whose files are all unchanged) is moved aside and removed. A failure in `fill` leaves
/// `dir` untouched and removes the temporary directory. Refused with exit status 2, with
/// nothing deleted: an existing directory holding anything litmon did not write there, or
/// a file changed since (named in the message); the current directory or one of its
/// ancestors (the shell would be left in a deleted directory). New directories get mode
/// 0777 less the umask; an existing one keeps its mode.
pub fn replace_dir(dir: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let existing = check_report_dir(dir)?;
    let name = dir
        .file_name()
        .map(|n| file_stem(&n.to_string_lossy()))
        .unwrap_or_else(|| "report".into());
    let dir = if existing.is_some() {
        dir.canonicalize().map_err(io)?
    } else {
        dir.to_path_buf()
    };
    let parent = output_parent(&dir)?;
    let tmp = create_scratch_dir(&parent, &name, "new").map_err(io)?;
    let tmp_path = tmp.path.clone().unwrap_or_default();
    if let Some(m) = &existing {
        std::fs::set_permissions(&tmp_path, m.permissions()).map_err(io)?;
    }
    fill(&tmp_path)?;
    write_manifest(&tmp_path)?;
    if existing.is_some() {
        // An empty placeholder takes the old directory (rename onto an empty directory
        // replaces it), then the new one takes its place; on failure the old one returns.
        let old = create_scratch_dir(&parent, &name, "old")
            .map_err(io)?
            .keep();
        std::fs::rename(&dir, &old).map_err(io)?;
        // A file added while the report was rendered: the old directory goes back.
        if let Some(why) = foreign_entry(&old).ok().flatten() {
            let _ = std::fs::rename(&old, &dir);
            return Err(bad_output(&dir, {
                let (wz, we) = (&why.zh, &why.en);
                text!(
                        "写报告期间该目录中出现了其他内容：它{wz}；未替换任何文件，请给出新的或空的目录",
                        "while the report was written, the directory came to hold something \
                         else: it {we}; nothing was replaced, so give a new or empty directory"
                    )
            }));
        }
        if let Err(e) = std::fs::rename(&tmp_path, &dir) {
            let _ = std::fs::rename(&old, &dir);
            return Err(io(e));
        }
        let _ = tmp.keep();
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&tmp_path, &dir).map_err(io)?;
        let _ = tmp.keep();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::safety::write_file;

    fn w(path: &Path, text: &str) -> Result<()> {
        write_file(path, text.as_bytes())
    }

    #[test]
    fn a_report_directory_is_swapped_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        replace_dir(&dir, |d| {
            std::fs::create_dir(d.join("charts")).unwrap();
            w(&d.join("charts/a.png"), "a")?;
            w(&d.join("report.md"), "1")
        })
        .unwrap();
        // A failing rerun leaves the first report as it was.
        let err = replace_dir(&dir, |d| {
            w(&d.join("report.md"), "half")?;
            Err(Error::drawing(text!("磁盘已满", "disk full")))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(dir.join("report.md")).unwrap(), "1");
        // A narrower rerun leaves exactly its own files.
        replace_dir(&dir, |d| w(&d.join("report.md"), "2")).unwrap();
        assert!(!dir.join("charts").exists());
        assert_eq!(std::fs::read_to_string(dir.join("report.md")).unwrap(), "2");
        // Nothing but the report directory in the parent.
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out"]);
        // A directory of the user's own files is never replaced.
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let err = replace_dir(&dir, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert!(err.is_bad_input());
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    /// A report as `replace_dir` fills it: top-level files, charts/ and tables/.
    fn fill_report(d: &Path) -> Result<()> {
        std::fs::create_dir(d.join("charts")).map_err(|source| Error::Io {
            path: "charts".into(),
            source,
        })?;
        w(&d.join("charts/a.png"), "png a")?;
        w(&d.join("charts/a.svg"), "svg a")?;
        w(&d.join("tables/t.csv"), "x,y\n")?;
        w(&d.join("report.md"), "# r")?;
        w(&d.join("report.html"), "<p>r</p>")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Issue 20, item 1: files planted anywhere in an existing report (new names, or a
        /// report's own names with other bytes) survive a rerun: it is refused, nothing
        /// deleted or changed.
        #[test]
        fn planted_user_files_survive_a_rerun(
            planted in proptest::collection::vec(
                (0usize..4, "[a-z]{1,6}\\.(png|svg|csv|xlsx|md|txt)", "[ -~]{0,12}"),
                1..5,
            )
        ) {
            let root = tempfile::tempdir().unwrap();
            let dir = root.path().join("rep");
            replace_dir(&dir, fill_report).unwrap();
            let subs = ["", "charts/", "tables/", "charts/deeper/"];
            let mut mine = Vec::new();
            for (sub, name, text) in &planted {
                let rel = format!("{}{name}", subs[*sub]);
                std::fs::create_dir_all(dir.join(subs[*sub])).unwrap();
                let bytes = format!("user: {text}");
                std::fs::write(dir.join(&rel), &bytes).unwrap();
                mine.push((rel, bytes));
            }
            let err = replace_dir(&dir, fill_report).unwrap_err();
            proptest::prop_assert!(err.is_bad_input(), "{}", err);
            for (rel, _) in &mine {
                let now = std::fs::read_to_string(dir.join(rel)).ok();
                // The last write of a name wins among the planted files.
                let last = mine.iter().rev().find(|(r, _)| r == rel).map(|(_, b)| b.clone());
                proptest::prop_assert_eq!(now, last, "{}", rel);
            }
        }
    }
}
