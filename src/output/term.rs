//! Progress bars for long jobs, drawn on standard error only when it is a terminal (never in
//! pipes, files or CI logs).

use std::io::{IsTerminal, Read};

use indicatif::{ProgressBar, ProgressStyle};

/// A bar over `len` units with `label`, or `None` when stderr is not a terminal.
pub fn bar(len: u64, label: &str, bytes: bool) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let template = if bytes {
        "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})"
    } else {
        "{msg} [{bar:40}] {pos}/{len}"
    };
    let style = ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let pb = ProgressBar::new(len).with_style(style);
    pb.set_message(label.to_string());
    Some(pb)
}

/// A reader that advances a byte progress bar as it is read.
pub struct ProgressReader<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> ProgressReader<R> {
    /// Wraps `inner`; `bar` (if any) advances by the bytes read.
    pub fn new(inner: R, bar: Option<ProgressBar>) -> Self {
        ProgressReader { inner, bar }
    }
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(b) = &self.bar {
            b.inc(n as u64);
        }
        Ok(n)
    }
}

impl<R> Drop for ProgressReader<R> {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
