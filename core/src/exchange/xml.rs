//! Reading the official XML files (ECB, HMRC) safely: no DTD, a bounded node count, and the
//! line of each element for error paths.

use crate::error::{Error, ErrorCode};

/// Most XML nodes one rate file may hold: the ECB's full history (1999 onwards) holds about
/// half a million; the size limit on rate files bounds it anyway.
const MAX_NODES: u32 = 4_000_000;

/// Parses `text` (refusing DTDs, so no entity can expand).
pub(crate) fn parse(text: &str) -> Result<roxmltree::Document<'_>, Error> {
    super::check_size(text)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), options).map_err(
        |e| {
            Error::at(
                ErrorCode::InvalidRates,
                format!("line {}", e.pos().row),
                format!("not well-formed XML: {e}"),
            )
        },
    )
}

/// The 1-based line an element starts on.
pub(crate) fn line(doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}
