//! Never lose a user's data: the one place that decides where litmon may write.
//!
//! - [`Protected`]: every file a command reads (all of `--data`, `--observations`,
//!   `--plans`, `--microdata`, `--design`, `--population`, `--rake-population`, `--rscales`,
//!   `--covariates`, `--jurisdictions`) is identified by device and inode (and canonical
//!   path), so no output — through `..`, a symlink or a hard link — can replace it, and no
//!   report directory that holds one is swapped away.
//! - [`write_file`]: a regular file (or a new path) is replaced atomically (temporary file
//!   in the same directory, then a rename); a character device or FIFO (`/dev/stdout`,
//!   `/dev/null`, a named pipe) is written in place, never replaced; anything else (a
//!   directory, a block device, a socket) is refused.
//! - [`file_stem`] and [`StemSet`]: file names derived from data (jurisdiction ids, plan
//!   names) are safe slugs that always stay inside `-o`.
//! - [`replace_dir`]: a report directory is built in a temporary sibling and swapped in,
//!   so a failure part-way leaves the previous report intact and a rerun leaves exactly the
//!   files of that run.
//! - [`echo`]: text from inputs quoted in messages, cut to a readable length.

use std::collections::HashSet;
use std::io::Write;
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
            Some(g) => Err(Error::Usage(format!(
                "-o {}: that is the input file {}, which litmon never overwrites; write elsewhere",
                out.display(),
                g.label
            ))),
            None => Ok(()),
        }
    }

    /// Refuses an output directory that is, or holds, one of the inputs (a report
    /// directory is replaced as a whole).
    pub fn check_dir(&self, dir: &Path) -> Result<()> {
        self.check_file(dir)?;
        let Ok(d) = dir.canonicalize() else {
            return Ok(()); // a new directory holds nothing
        };
        match self
            .inputs
            .iter()
            .find(|g| g.canonical.as_ref().is_some_and(|c| c.starts_with(&d)))
        {
            Some(g) => Err(Error::Usage(format!(
                "-o {}: the directory holds the input file {}, and litmon replaces the whole directory; write the report elsewhere",
                dir.display(),
                g.label
            ))),
            None => Ok(()),
        }
    }
}

/// An output that cannot be written where `-o` points (exit status 2: the user picks
/// another path).
fn bad_output(path: &Path, what: &str) -> Error {
    Error::Usage(format!("-o {}: {what}", path.display()))
}

/// Writes `bytes` to `path` (see the module documentation): atomic replacement of a
/// regular file or a new path, in-place writing to a character device or FIFO, a usage
/// error for anything else.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    // Follow symlinks: a link to a regular file keeps being a link (its target is
    // replaced), a link to /proc/self/fd/1 reaches the terminal or pipe.
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(bad_output(
                path,
                "is a directory; expected a file name (e.g. out.csv)",
            ))
        }
        Ok(m) if m.is_file() => {
            let target = if std::fs::symlink_metadata(path).is_ok_and(|l| l.is_symlink()) {
                path.canonicalize().map_err(io)?
            } else {
                path.to_path_buf()
            };
            return write_atomic_regular(&target, bytes).map_err(|e| relabel(e, path));
        }
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                let t = m.file_type();
                if t.is_char_device() || t.is_fifo() {
                    let mut f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .map_err(io)?;
                    return match f.write_all(bytes).and_then(|_| f.flush()) {
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                        r => r.map_err(io),
                    };
                }
            }
            let _ = m;
            return Err(bad_output(
                path,
                "is neither a regular file nor a character device or pipe; expected a file name",
            ));
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) => {}
        Err(e) => {
            // A symlink loop, a path through a file, a directory without permission…
            return Err(io(e));
        }
    }
    if std::fs::symlink_metadata(path).is_ok() {
        // A dangling symlink: renaming over it would write somewhere else than it says.
        return Err(bad_output(
            path,
            "is a symbolic link to a path that does not exist; remove the link or write elsewhere",
        ));
    }
    write_atomic_regular(path, bytes)
}

fn relabel(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { source, .. } => Error::Io {
            path: path.display().to_string(),
            source,
        },
        other => other,
    }
}

/// The parent directory of an output, created when missing; a usage error when part of
/// it is a file.
fn output_parent(path: &Path) -> Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(file) = dir
        .ancestors()
        .find(|a| !a.as_os_str().is_empty() && std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
    {
        return Err(bad_output(
            path,
            &format!(
                "{} is a file, not a directory; expected a path in a directory",
                file.display()
            ),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// Temporary file in the same directory, then a rename.
fn write_atomic_regular(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = output_parent(path)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.flush().map_err(io)?;
    // tempfile creates 0600 files; outputs are ordinary files (0644 before the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Longest file stem derived from data (bytes), well below every file system's limit.
const MAX_STEM: usize = 100;

/// A safe file stem for a name taken from data: letters (any script), digits, `-`, `_`
/// and inner `.` are kept, every other character (path separators, control characters,
/// `<>:"|?*`, spaces) becomes `_`; no leading dot; at most `MAX_STEM` (100) bytes; never
/// empty. The stem never leaves the directory it is joined to.
///
/// ```
/// use litmon::output::safety::file_stem;
/// assert_eq!(file_stem("150300"), "150300");
/// assert_eq!(file_stem("../../../../victim"), "_._.._.._.._victim");
/// assert_eq!(file_stem("/etc/passwd"), "_etc_passwd");
/// assert_eq!(file_stem("</script>"), "__script_");
/// assert_eq!(file_stem("乌海"), "乌海");
/// assert_eq!(file_stem(""), "_");
/// ```
pub fn file_stem(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let keep = c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
        let c = if keep { c } else { '_' };
        if s.len() + c.len_utf8() > MAX_STEM {
            break;
        }
        s.push(c);
    }
    if s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// Stems already used in one output directory: [`StemSet::unique`] adds `-2`, `-3`… when
/// two names slug to the same stem (compared without case, as on Windows and macOS).
#[derive(Debug, Default)]
pub struct StemSet {
    used: HashSet<String>,
}

impl StemSet {
    /// A stem for `name` ([`file_stem`]) not yet used in this set, with `-2`, `-3`… appended
    /// on a collision; records it as used.
    pub fn unique(&mut self, name: &str) -> String {
        let base = file_stem(name);
        let mut stem = base.clone();
        let mut k = 2;
        while !self.used.insert(stem.to_lowercase()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        stem
    }
}

/// Names a report directory may hold besides what litmon writes into it: an existing
/// directory is replaced only when it is empty or holds nothing but a previous report.
const REPORT_ENTRIES: &[&str] = &["report.html", "report.md", "charts", "tables"];

/// Builds a directory in a temporary sibling of `dir` with `fill`, then swaps it in:
/// the previous directory (empty, or a previous report) is moved aside and removed. A
/// failure in `fill` leaves `dir` untouched and removes the temporary directory. An
/// existing directory holding anything else is refused (exit status 2), so a report
/// never deletes a user's files.
pub fn replace_dir(dir: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let existing = match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            let foreign = std::fs::read_dir(dir)
                .map_err(io)?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| !REPORT_ENTRIES.contains(&n.as_str()));
            if let Some(name) = foreign {
                return Err(bad_output(
                    dir,
                    &format!(
                        "the directory already holds {name:?}, which is not part of a litmon report; \
                         litmon replaces the report directory as a whole, so give a new or empty directory"
                    ),
                ));
            }
            true
        }
        Ok(m) if m.is_symlink() => {
            return Err(bad_output(
                dir,
                "is a symbolic link; give the report directory itself",
            ))
        }
        Ok(_) => return Err(bad_output(dir, "is a file; report -o expects a directory")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(e)),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let dir = if existing {
        dir.canonicalize().map_err(io)?
    } else {
        dir.to_path_buf()
    };
    let parent = output_parent(&dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.litmon-new-"))
        .tempdir_in(&parent)
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    }
    fill(tmp.path())?;
    if existing {
        // An empty placeholder takes the old directory (rename onto an empty directory
        // replaces it), then the new one takes its place; on failure the old one returns.
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.litmon-old-"))
            .tempdir_in(&parent)
            .map_err(io)?;
        let old = old.keep();
        std::fs::rename(&dir, &old).map_err(io)?;
        if let Err(e) = std::fs::rename(tmp.path(), &dir) {
            let _ = std::fs::rename(&old, &dir);
            return Err(io(e));
        }
        let _ = tmp.keep();
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(tmp.path(), &dir).map_err(io)?;
        let _ = tmp.keep();
    }
    Ok(())
}

/// Longest input text quoted in a message, in characters.
const ECHO_CHARS: usize = 80;

/// `s` quoted for a message (as `{s:?}`), cut to `ECHO_CHARS` (80) characters with the
/// full length stated, so a 10 MB cell never floods the terminal.
///
/// ```
/// use litmon::output::safety::echo;
/// assert_eq!(echo("abc"), "\"abc\"");
/// assert!(echo(&"x".repeat(10_000)).ends_with("… (10000 characters)"));
/// ```
pub fn echo(s: &str) -> String {
    let n = s.chars().count();
    if n <= ECHO_CHARS {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(ECHO_CHARS).collect();
        format!("{head:?}… ({n} characters)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_unique_and_stay_inside() {
        let mut set = StemSet::default();
        assert_eq!(set.unique("a:b"), "a_b");
        assert_eq!(set.unique("a*b"), "a_b-2");
        assert_eq!(set.unique("A_B"), "A_B-3");
        for bad in ["..", ".", "../x", "a/../../b", "C:\\x", "\u{1b}[2J"] {
            let s = file_stem(bad);
            assert!(
                !s.contains('/') && !s.contains('\\') && !s.starts_with('.'),
                "{s}"
            );
            assert_eq!(Path::new(&s).components().count(), 1, "{s}");
        }
        assert!(file_stem(&"长".repeat(200)).len() <= MAX_STEM);
    }

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
            Err(Error::Render("disk full".into()))
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
}
