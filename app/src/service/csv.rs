//! The one CSV writer of downloads and mail attachments (the Activity Report, the guest
//! inventory): RFC 4180 with CRLF line ends, and every cell made inert so a spreadsheet
//! never runs it as a formula ([`crate::domain::report::inert_cell`]). A download is
//! written a batch at a time as it is read ([`Export`]), so its length never matters.

use crate::domain::report::inert_cell;
use crate::error::AppError;

/// CSV bytes of `records`, with `header` first when given.
pub fn write<R, C>(header: Option<&[&str]>, records: impl IntoIterator<Item = R>) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::with_capacity(8 * 1024));
    // Writing to a Vec cannot fail.
    if let Some(h) = header {
        let _ = w.write_record(h);
    }
    for r in records {
        let cells: Vec<String> = r.into_iter().map(|c| inert_cell(c.as_ref()).into_owned()).collect();
        let _ = w.write_record(&cells);
    }
    w.into_inner().unwrap_or_default()
}

/// A download being written: its file name, and its bytes a batch at a time.
pub enum Export {
    Report(super::report::CsvExport),
    Inventory(super::inventory::CsvExport),
}

impl Export {
    pub fn file_name(&self) -> String {
        match self {
            Export::Report(e) => e.file_name(),
            Export::Inventory(e) => e.file_name(),
        }
    }

    /// The next bytes of the file; `None` once it is all written.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        match self {
            Export::Report(e) => e.next_chunk().await,
            Export::Inventory(e) => e.next_chunk().await,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_quoted_and_made_inert() {
        let bytes = super::write(Some(&["A", "B"]), [vec!["=SUM(A1)", "x,y"], vec!["plain", "say \"hi\""]]);
        assert_eq!(String::from_utf8(bytes).unwrap(), "A,B\r\n'=SUM(A1),\"x,y\"\r\nplain,\"say \"\"hi\"\"\"\r\n");
    }
}
