//! Scratch files and directories: created exclusively next to their final place, removed
//! again unless the rename that publishes them keeps them.

use std::path::{Path, PathBuf};

/// A file or directory created next to its final place and removed again unless kept
/// (the rename that publishes it clears `path`).
pub(super) struct Scratch {
    pub(super) path: Option<PathBuf>,
    dir: bool,
}

impl Scratch {
    /// Hands the path over: nothing is removed on drop.
    pub(super) fn keep(mut self) -> PathBuf {
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
pub(super) fn create_scratch_file(
    dir: &Path,
    stem: &str,
) -> std::io::Result<(std::fs::File, Scratch)> {
    create_exclusive(dir, stem, "tmp", false, |p| {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o666);
        }
        o.open(p)
    })
}

/// A new directory in `dir` (mode 0777 less the umask), created exclusively.
pub(super) fn create_scratch_dir(dir: &Path, stem: &str, tag: &str) -> std::io::Result<Scratch> {
    create_exclusive(dir, stem, tag, true, |p| std::fs::create_dir(p)).map(|((), s)| s)
}

/// The first of 100 fresh names ([`scratch_name`]) that `create` makes without finding it
/// taken, with what `create` returned; a name that exists is skipped, any other failure
/// returned.
fn create_exclusive<T>(
    dir: &Path,
    stem: &str,
    tag: &str,
    is_dir: bool,
    create: impl Fn(&Path) -> std::io::Result<T>,
) -> std::io::Result<(T, Scratch)> {
    let mut last = None;
    for n in 0..100 {
        let p = scratch_name(dir, stem, tag, n);
        match create(&p) {
            Ok(made) => {
                return Ok((
                    made,
                    Scratch {
                        path: Some(p),
                        dir: is_dir,
                    },
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}
