//! Standard output: whether it is open (`litmon assess >&-` closes it), and printing a
//! result on it (a reader that went away is not an error).

use crate::error::{Error, Result};

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes whether standard output is open (`litmon assess >&-` closes it). Called first in
/// `main`, before any file takes the free descriptor 1.
///
/// Rust's runtime reopens a closed descriptor 1 on `/dev/null` before `main` (read-write,
/// where a shell's `> /dev/null` opens it write-only), so on Linux a descriptor 1 that is
/// `/dev/null` opened `O_RDWR` is taken as closed (`/proc/self/fdinfo/1`); elsewhere a
/// descriptor that cannot be duplicated is.
pub fn record_stdout_state() {
    #[cfg(target_os = "linux")]
    {
        let null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|t| t == std::path::Path::new("/dev/null"));
        let rdwr = null
            && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|f| f & 3 == 2)
            });
        STDOUT_CLOSED.store(rdwr, std::sync::atomic::Ordering::Relaxed);
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        use std::os::fd::AsFd;
        let closed = std::io::stdout().as_fd().try_clone_to_owned().is_err();
        STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Prints `bytes` on standard output. A reader that went away (a broken pipe, `| head`) is
/// not an error; a closed standard output is (exit status 2: nothing would be shown), as is
/// any other write failure.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::usage(text!(
            "标准输出已关闭，无法打印结果；请给出 -o FILE，或保持标准输出打开",
            "standard output is closed, so the result cannot be printed; give -o FILE or \
             leave standard output open"
        )));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        }),
    }
}
