//! The inputs of a command ([`Protected`]): identified by device and inode (and canonical
//! path), so that no output replaces one of them.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One protected input file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Guarded {
    /// The path as the user gave it (for messages).
    label: String,
    canonical: Option<PathBuf>,
    /// (device, inode) on Unix.
    id: Option<(u64, u64)>,
}

/// The input files of a command: nothing litmon writes may replace one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Protected {
    inputs: Vec<Guarded>,
}

fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Every plan file of a plans directory (`*.toml`, `*.xlsx`, `*.csv`: what the loader
/// reads), or the path itself.
pub fn plan_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        // The plan files `--plans DIR` reads: TOML and plan sheets.
                        p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                            matches!(x.to_ascii_lowercase().as_str(), "toml" | "xlsx" | "csv")
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![path.to_path_buf()]
    }
}

impl Protected {
    /// Protects these files (paths that do not exist are skipped: nothing to lose).
    pub fn new<I: IntoIterator<Item = PathBuf>>(paths: I) -> Protected {
        let mut inputs: Vec<Guarded> = Vec::new();
        for p in paths {
            let g = Guarded {
                label: p.display().to_string(),
                canonical: p.canonicalize().ok(),
                id: file_id(&p),
            };
            if g.canonical.is_none() && g.id.is_none() {
                continue;
            }
            if !inputs.contains(&g) {
                inputs.push(g);
            }
        }
        Protected { inputs }
    }

    /// The input that writing `out` would replace, if any (same device and inode, or
    /// the same canonical path).
    fn input_at(&self, out: &Path) -> Option<&Guarded> {
        let id = file_id(out);
        let canonical = out.canonicalize().ok().or_else(|| {
            // A new file: its directory's canonical path and its name.
            let name = out.file_name()?;
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            parent.canonicalize().ok().map(|d| d.join(name))
        });
        self.inputs.iter().find(|g| {
            (id.is_some() && g.id == id) || (canonical.is_some() && g.canonical == canonical)
        })
    }

    /// Refuses an output file that is one of the inputs.
    pub fn check_file(&self, out: &Path) -> Result<()> {
        match self.input_at(out) {
            Some(g) => Err(Error::usage(text!(
                "-o {}：这是输入文件 {}，litmon 从不覆盖输入文件；请写到别处",
                "-o {}: that is the input file {}, which litmon never overwrites; write elsewhere",
                out.display(),
                g.label
            ))),
            None => Ok(()),
        }
    }

    /// Refuses an output directory that is, or holds, one of the inputs (a report
    /// directory is replaced as a whole); `what` names the output in the message
    /// ("the report", "the dataset").
    pub fn check_dir(&self, dir: &Path, what: &str) -> Result<()> {
        self.check_file(dir)?;
        let Ok(d) = dir.canonicalize() else {
            return Ok(()); // a new directory holds nothing
        };
        match self
            .inputs
            .iter()
            .find(|g| g.canonical.as_ref().is_some_and(|c| c.starts_with(&d)))
        {
            Some(g) => {
                let what_zh = if what == "the report" {
                    "报告"
                } else {
                    "数据集"
                };
                Err(Error::usage(text!(
                    "-o {}：该目录包含输入文件 {}，litmon 从不覆盖输入文件；请把{what_zh}写到别处",
                    "-o {}: the directory holds the input file {}, which litmon never overwrites; write {what} elsewhere",
                    dir.display(),
                    g.label
                )))
            }
            None => Ok(()),
        }
    }
}
