//! Problems of reading a file before its rows are parsed (encoding, sheets: [`ReadProblem`]),
//! a record-level error ([`RecordError`]) and the words of an IO error.

use std::fmt;

use super::Text;

/// An I/O error in both languages: the English is the system's own text; the Chinese says
/// what happened by its kind (找不到文件, 没有权限, …) and keeps the system's text when the
/// kind says little.
pub fn io_text(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let os = e.to_string();
    let zh = match e.kind() {
        K::NotFound => "找不到该文件或目录".to_string(),
        K::PermissionDenied => "没有权限读写该文件".to_string(),
        K::AlreadyExists => "该文件已存在".to_string(),
        K::IsADirectory => "这是一个目录，不是文件".to_string(),
        K::NotADirectory => "路径中有一项不是目录".to_string(),
        K::ReadOnlyFilesystem => "文件系统只读，不能写入".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::DirectoryNotEmpty => "目录不为空".to_string(),
        K::InvalidData => format!("数据无效（{os}）"),
        K::InvalidInput => format!("输入无效（{os}）"),
        K::UnexpectedEof => "文件意外结束（可能不完整）".to_string(),
        K::Interrupted => "读写被中断".to_string(),
        _ if cfg!(unix)
            && e.raw_os_error() == Some(if cfg!(target_os = "linux") { 40 } else { 62 }) =>
        {
            "符号链接循环".to_string()
        }
        _ => format!("读写失败（{os}）"),
    };
    Text::new(zh, os)
}

/// Why an input's text or sheet cannot be read as asked ([`Error::Read`](crate::error::Error::Read)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// Read as UTF-8, and a byte is not UTF-8.
    NotUtf8 {
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// Read as GBK/GB18030, and the bytes are not.
    NotGbk,
    /// Read with the encoding detected, and the bytes are neither UTF-8 nor GBK/GB18030.
    NeitherUtf8NorGbk,
    /// A workbook has no sheet of the name asked for.
    NoSuchSheet {
        /// The sheet asked for.
        want: String,
        /// The workbook's sheets, in order.
        sheets: Vec<String>,
    },
}

impl ReadProblem {
    /// What is wrong, in both languages, without the command line's flags.
    pub fn text(&self) -> Text {
        self.worded(false)
    }

    /// What is wrong and the way out: in words, or (`flags`) as the command-line flag that
    /// reads the file another way (`--encoding`, `--sheet`).
    pub fn worded(&self, flags: bool) -> Text {
        // The (Chinese, English) words of one remedy: in words, or as the flag.
        let pick = |words: (&'static str, &'static str), flag: (&'static str, &'static str)| {
            if flags {
                flag
            } else {
                words
            }
        };
        match self {
            ReadProblem::NotUtf8 { byte } => {
                let (as_zh, as_en) =
                    pick(("", ""), ("（--encoding utf-8）", " (--encoding utf-8)"));
                let (gbk_zh, gbk_en) = pick(
                    ("请按 GBK 读取", "read it as GBK"),
                    ("请试 --encoding gbk", "try --encoding gbk"),
                );
                text!(
                    "应为 UTF-8 文本{as_zh}，却遇到字节 0x{byte:02X}；该文件像是 GBK 编码：{gbk_zh}，或另存为“CSV UTF-8”",
                    "expected UTF-8 text{as_en}, found byte 0x{byte:02X}; the file looks like GBK: {gbk_en} or save it as \"CSV UTF-8\""
                )
            }
            ReadProblem::NotGbk => {
                let (as_zh, as_en) = pick(("", ""), ("（--encoding gbk）", " (--encoding gbk)"));
                let (utf8_zh, utf8_en) = pick(
                    ("请按 UTF-8 读取", "read it as UTF-8"),
                    ("请试 --encoding utf-8", "try --encoding utf-8"),
                );
                text!(
                    "应为 GBK/GB18030 文本{as_zh}，却遇到不属于该编码的字节；{utf8_zh}",
                    "expected GBK/GB18030 text{as_en}, found bytes that are not; {utf8_en}"
                )
            }
            ReadProblem::NeitherUtf8NorGbk => {
                let (name_zh, name_en) = pick(
                    ("指明其编码", "name its encoding"),
                    ("用 --encoding 指明编码", "pass --encoding"),
                );
                text!(
                    "应为 UTF-8 或 GBK/GB18030 文本，却遇到两者都不是的字节（是否为二进制文件？）；请另存为“CSV UTF-8”或{name_zh}",
                    "expected text in UTF-8 or GBK/GB18030, found bytes that are neither (is it a binary file?); save it as \"CSV UTF-8\" or {name_en}"
                )
            }
            ReadProblem::NoSuchSheet { want, sheets } => {
                let (flag_zh, flag_en) = pick(("", ""), ("--sheet：", "--sheet: "));
                let zh_list = sheets.join("、");
                let en_list = sheets.join(", ");
                text!(
                    "{flag_zh}没有名为“{want}”的工作表；现有工作表：{zh_list}",
                    "{flag_en}no sheet named {want:?}; the sheets are: {en_list}"
                )
            }
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for ReadProblem {}

/// An output row type that cannot be written as cells (`crate::output::record`): found by
/// the tests of each table, never by a user's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("output record: {0}")]
pub struct RecordError(pub String);

impl RecordError {
    /// The message in both languages (the record's own words stay as written: they name
    /// Rust types for the developer).
    pub fn text(&self) -> Text {
        let m = &self.0;
        text!("输出记录（程序错误）：{m}", "output record: {m}")
    }
}
