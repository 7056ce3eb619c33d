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

/// An output that cannot be written where `-o` points (exit status 2: the user picks
/// another path).
fn bad_output(path: &Path, what: impl Into<crate::model::Text>) -> Error {
    let (what, path) = (what.into(), path.display());
    Error::usage(crate::model::Text::new(
        format!("-o {path}：{}", what.zh),
        format!("-o {path}: {}", what.en),
    ))
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
                text!(
                    "是一个目录；应为文件名（如 out.csv）",
                    "is a directory; expected a file name (e.g. out.csv)"
                ),
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
                text!("既不是普通文件，也不是字符设备或管道；应为文件名", "is neither a regular file nor a character device or pipe; expected a file name"),
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
            text!("是指向不存在路径的符号链接；请删除该链接或写到别处", "is a symbolic link to a path that does not exist; remove the link or write elsewhere"),
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
            text!(
                "{} 是文件而不是目录；应为某个目录中的路径",
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

/// A file or directory created next to its final place and removed again unless kept
/// (the rename that publishes it clears `path`).
struct Scratch {
    path: Option<PathBuf>,
    dir: bool,
}

impl Scratch {
    /// Hands the path over: nothing is removed on drop.
    fn keep(mut self) -> PathBuf {
        self.path.take().unwrap_or_default()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = if self.dir {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}

/// A fresh name `.{stem}.litmon-{tag}-{pid}-{n}` in `dir`, made unique by the caller's
/// exclusive create (a name that exists is skipped).
fn scratch_name(dir: &Path, stem: &str, tag: &str, n: u32) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let k = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dir.join(format!(
        ".{stem}.litmon-{tag}-{}-{k}-{n}-{nanos:x}",
        std::process::id()
    ))
}

/// A new file in `dir`, created exclusively (`O_EXCL`: never through an existing name or
/// symlink) with mode 0666 less the umask, as any program's new file.
fn create_scratch_file(dir: &Path, stem: &str) -> std::io::Result<(std::fs::File, Scratch)> {
    let mut last = None;
    for n in 0..100 {
        let p = scratch_name(dir, stem, "tmp", n);
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o666);
        }
        match o.open(&p) {
            Ok(f) => {
                return Ok((
                    f,
                    Scratch {
                        path: Some(p),
                        dir: false,
                    },
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// A new directory in `dir` (mode 0777 less the umask), created exclusively.
fn create_scratch_dir(dir: &Path, stem: &str, tag: &str) -> std::io::Result<Scratch> {
    let mut last = None;
    for n in 0..100 {
        let p = scratch_name(dir, stem, tag, n);
        match std::fs::create_dir(&p) {
            Ok(()) => {
                return Ok(Scratch {
                    path: Some(p),
                    dir: true,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Temporary file in the same directory (created exclusively, mode 0666 less the umask),
/// then a rename over `path`. A regular file already at `path` keeps its permission bits
/// (a 0600 file stays 0600). The rename replaces the directory entry itself, so it never
/// writes through a symlink at `path`.
fn write_atomic_regular(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = output_parent(path)?;
    let stem = path
        .file_name()
        .map(|n| file_stem(&n.to_string_lossy()))
        .unwrap_or_else(|| "out".into());
    let (mut f, tmp) = create_scratch_file(&dir, &stem).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.flush().map_err(io)?;
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.is_file() {
            f.set_permissions(m.permissions()).map_err(io)?;
        }
    }
    drop(f);
    let tmp_path = tmp.path.clone().unwrap_or_default();
    std::fs::rename(&tmp_path, path).map_err(io)?;
    let _ = tmp.keep();
    Ok(())
}

/// Writes a file whose name litmon made up (a chart named after a jurisdiction, a plan
/// file of `data export`) in a directory the user gave: a new file, or a regular file
/// replaced by a rename; a symbolic link, directory or special file at that name is
/// refused (exit status 2), so a name litmon chose never leads outside `-o`.
pub fn write_new_name(path: &Path, bytes: &[u8]) -> Result<()> {
    check_new_name(path)?;
    write_atomic_regular(path, bytes)
}

/// The check of [`write_new_name`] alone, so a command can refuse before writing anything.
pub fn check_new_name(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_symlink() => Err(bad_output(
            path,
            text!("是符号链接；litmon 从不通过符号链接写入它自己命名的文件（请删除该链接或写入另一个目录）", "is a symbolic link; litmon never writes through a link at a file name it makes up \
             (remove the link or write into another directory)"),
        )),
        Ok(m) if !m.is_file() => Err(bad_output(
            path,
            text!("不是普通文件；litmon 会以该名称写出自己的文件，请删除它或写入另一个目录", "is not a regular file; litmon writes its own file under that name, so remove it \
             or write into another directory"),
        )),
        _ => Ok(()),
    }
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

    #[test]
    fn a_symlink_at_a_made_up_name_is_refused_and_the_target_kept() {
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim.png");
        std::fs::write(&victim, "precious").unwrap();
        let link = root.path().join("150300.png");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            let err = write_new_name(&link, b"chart").unwrap_err();
            assert!(
                err.is_bad_input() && err.to_string().contains("symbolic link"),
                "{err}"
            );
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        }
        // A regular file at a made-up name is replaced, a new one created.
        std::fs::write(root.path().join("old.png"), "old").unwrap();
        write_new_name(&root.path().join("old.png"), b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(root.path().join("old.png")).unwrap(),
            "new"
        );
    }
}
