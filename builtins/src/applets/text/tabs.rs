//! Tab stops for expand and unexpand: `-t N` or `-t LIST`.

use crate::error::Error;

/// Tab stop positions (0-based columns).
pub struct Stops {
    every: usize,
    list: Vec<usize>,
}

impl Stops {
    /// A stop every `n` columns.
    pub fn every(n: usize) -> Stops {
        Stops {
            every: n,
            list: Vec::new(),
        }
    }

    /// The column of the first stop after `col`; after the last listed stop, `col + 1`.
    pub fn next(&self, col: usize) -> usize {
        if self.list.is_empty() {
            return (col / self.every + 1) * self.every;
        }
        match self.list.iter().find(|&&s| s > col) {
            Some(&s) => s,
            None => col + 1,
        }
    }

    /// The first stop after `col`, or `None` past the last listed stop.
    pub fn after(&self, col: usize) -> Option<usize> {
        if self.list.is_empty() {
            Some((col / self.every + 1) * self.every)
        } else {
            self.list.iter().copied().find(|&s| s > col)
        }
    }
}

/// Parses `N` or `N1,N2,...` (blanks also separate).
pub fn parse_stops(v: &[u8]) -> Result<Stops, Error> {
    let mut list = Vec::new();
    for part in v.split(|&b| b == b',' || b == b' ') {
        if part.is_empty() {
            continue;
        }
        let n: usize = std::str::from_utf8(part)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                Error::msg(format!(
                    "tab size contains invalid character(s): '{}'",
                    String::from_utf8_lossy(part)
                ))
            })?;
        if n == 0 {
            return Err(Error::msg("tab size cannot be 0"));
        }
        if list.last().is_some_and(|&l| n <= l) {
            return Err(Error::msg("tab sizes must be ascending"));
        }
        list.push(n);
    }
    match list.as_slice() {
        [] => Err(Error::msg("tab size cannot be 0")),
        [n] => Ok(Stops::every(*n)),
        _ => Ok(Stops { every: 8, list }),
    }
}

/// Rewrites obsolete `-N` / `-N,M` arguments into `-t N`.
pub fn obsolete(args: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let is_old = |a: &Vec<u8>| {
        a.len() > 1
            && a[0] == b'-'
            && a[1].is_ascii_digit()
            && a[1..].iter().all(|b| b.is_ascii_digit() || *b == b',')
    };
    if !args.iter().any(is_old) {
        return None;
    }
    let mut out = Vec::new();
    for a in args {
        if is_old(a) {
            out.push(b"-t".to_vec());
            out.push(a[1..].to_vec());
        } else {
            out.push(a.clone());
        }
    }
    Some(out)
}
