//! Stand-in for `xborder::tariff::file`'s line types until the tariff-core work lands: the
//! same names and fields, so switching is one `use` line.

/// One duty of a line: the text as published and the expression the engine evaluates, or why
/// it cannot be computed from a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    /// The rate exactly as the source prints it.
    pub text: String,
    /// The rate in xborder's duty grammar, or `Err(reason)` when it is not computable.
    pub expression: Result<String, String>,
}

/// One tariff line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 2 to 10 digits.
    pub code: String,
    /// One per column; `None` when the line has no rate in that column.
    pub duties: Vec<Option<Duty>>,
    /// A short description that stands alone.
    pub description: String,
}
