//! Writing one output file: a regular file (or a new path) replaced atomically, a character
//! device or FIFO written in place, anything else refused ([`write_file`]); files whose
//! names litmon made up ([`write_new_name`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::scratch::create_scratch_file;
use super::stem::file_stem;
use crate::error::{Error, Result};

/// An output that cannot be written where `-o` points (exit status 2: the user picks
/// another path).
pub(super) fn bad_output(path: &Path, what: impl Into<crate::model::Text>) -> Error {
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
pub(super) fn output_parent(path: &Path) -> Result<PathBuf> {
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

/// Temporary file in the same directory (created exclusively, mode 0666 less the umask),
/// then a rename over `path`. A regular file already at `path` keeps its permission bits
/// (a 0600 file stays 0600). The rename replaces the directory entry itself, so it never
/// writes through a symlink at `path`.
pub(super) fn write_atomic_regular(path: &Path, bytes: &[u8]) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
