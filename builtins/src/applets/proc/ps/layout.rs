//! Laying columns out in lines: each value padded to its column's width with one space
//! between columns; a value too wide pushes the rest right, and later padding takes the
//! excess back where it can (procps's way); the last column is never padded on the
//! right; a line may be cut to the screen width.

use super::fields::Key;

/// One column of a listing.
#[derive(Clone, Debug)]
pub struct Column {
    /// Its header text (empty for `FIELD=`).
    pub header: Vec<u8>,
    /// Its width: the spec's, or the header's when that is wider.
    pub width: usize,
    /// Left-aligned values.
    pub left: bool,
    /// What it shows.
    pub key: Key,
}

/// Lays out one line of `cells` (one per column), appending it with its newline to
/// `out`; `limit` cuts the line to that many characters. `all_left` aligns every cell
/// left (BusyBox's header line).
pub fn line(
    columns: &[Column],
    cells: &[Vec<u8>],
    all_left: bool,
    limit: Option<usize>,
    out: &mut Vec<u8>,
) {
    let start = out.len();
    let mut debt = 0usize;
    for (i, (col, cell)) in columns.iter().zip(cells).enumerate() {
        let last = i + 1 == columns.len();
        if i > 0 {
            out.push(b' ');
        }
        let len = char_count(cell);
        let mut pad = col.width.saturating_sub(len);
        debt += len.saturating_sub(col.width);
        let paid = pad.min(debt);
        pad -= paid;
        debt -= paid;
        if col.left || all_left {
            out.extend_from_slice(cell);
            if !last {
                out.resize(out.len() + pad, b' ');
            }
        } else {
            out.resize(out.len() + pad, b' ');
            out.extend_from_slice(cell);
        }
    }
    if let Some(limit) = limit {
        cut(out, start, limit);
    }
    out.push(b'\n');
}

/// Cuts the text from `start` to at most `limit` characters (UTF-8 sequences kept whole).
fn cut(out: &mut Vec<u8>, start: usize, limit: usize) {
    let mut chars = 0;
    for i in start..out.len() {
        if out[i] & 0xc0 != 0x80 {
            if chars == limit {
                out.truncate(i);
                return;
            }
            chars += 1;
        }
    }
}

/// The number of characters in `text` (UTF-8 continuation bytes not counted).
pub fn char_count(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(width: usize, left: bool) -> Column {
        Column {
            header: Vec::new(),
            width,
            left,
            key: Key::Pid,
        }
    }

    fn render(cols: &[Column], cells: &[&str], limit: Option<usize>) -> String {
        let cells: Vec<Vec<u8>> = cells.iter().map(|c| c.as_bytes().to_vec()).collect();
        let mut out = Vec::new();
        line(cols, &cells, false, limit, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pads_and_aligns() {
        let cols = [col(5, false), col(8, true), col(4, true)];
        assert_eq!(
            render(&cols, &["1", "root", "sh"], None),
            "    1 root     sh\n"
        );
    }

    #[test]
    fn wide_values_push_and_later_padding_absorbs() {
        let cols = [col(3, false), col(5, false), col(2, true)];
        assert_eq!(render(&cols, &["12345", "1", "x"], None), "12345   1 x\n");
    }

    #[test]
    fn cuts_to_the_limit() {
        let cols = [col(2, false), col(1, true)];
        assert_eq!(render(&cols, &["1", "abcdef"], Some(6)), " 1 abc\n");
        assert_eq!(render(&cols, &["1", "äöüß"], Some(5)), " 1 äö\n");
    }
}
