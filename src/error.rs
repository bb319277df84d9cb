//! The error a single input file can have. It names the file and, where it can, the line, so
//! a reader can go straight to the problem; the rest of the archive still builds.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct FileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl FileError {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        FileError { path: path.into(), line: None, message: message.into() }
    }
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}
