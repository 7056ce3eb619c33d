//! The caps of `litmon serve`: size and number of the files held, connections at once.

/// Largest file the page accepts (20 MB: a county's workbook is a few hundred KB).
pub const MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// Most files held at once.
pub const MAX_FILES: usize = 30;

/// Most connections served at once (each has its own thread).
pub const MAX_CONNECTIONS: usize = 32;
