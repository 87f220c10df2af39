//! The line-matching engine: which lines of two files are changed, chosen the way GNU
//! diff chooses among equally short edit scripts, so the hunks come out the same.
//!
//! Steps, over lines already mapped to equivalence classes (`u32`, equal class = equal
//! line under the comparison options):
//! 1. the common prefix and suffix are set aside, keeping `horizon` lines of each;
//! 2. lines that match nothing in the other file are discarded up front (and lines that
//!    match very many are discarded when they sit inside a run of such lines);
//! 3. Myers' O(ND) divide and conquer (linear space, the middle snake found from both
//!    ends) marks the changed lines of what is left; past a cost budget it settles for
//!    the best split found so far instead of the minimal one, so big inputs stay cheap;
//! 4. runs of changes are slid so they merge where they can, then as far down as they
//!    go, then back up to line up with a change in the other file.

/// The changed-line flags of both files (`true` = deleted from the first / inserted in
/// the second).
pub struct Changed {
    /// One flag per line of the first file.
    pub old: Vec<bool>,
    /// One flag per line of the second file.
    pub new: Vec<bool>,
}

/// One change: `deleted` lines at `line0` of the first file replaced by `inserted` lines
/// at `line1` of the second (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// First line of the change in the first file.
    pub line0: usize,
    /// First line of the change in the second file.
    pub line1: usize,
    /// How many lines of the first file go.
    pub deleted: usize,
    /// How many lines of the second file come.
    pub inserted: usize,
}

/// Marks the changed lines of `a` and `b` (class sequences); `same(i, j)` says whether
/// line `i` of `a` and line `j` of `b` are byte for byte the same (the common prefix and
/// suffix are found on bytes, as GNU does, even when the classes fold case or blanks).
/// `minimal` turns off the discarding and the cost budget (`--minimal`).
pub fn analyze(
    a: &[u32],
    b: &[u32],
    same: impl Fn(usize, usize) -> bool,
    horizon: usize,
    minimal: bool,
) -> Changed {
    let mut old = vec![false; a.len()];
    let mut new = vec![false; b.len()];
    // The common prefix and suffix, less `horizon` lines that stay in the analysis.
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && same(pre, pre) {
        pre += 1;
    }
    let start = pre.saturating_sub(horizon);
    let room = a.len().min(b.len()) - start;
    let mut suf = 0;
    while suf < room && same(a.len() - 1 - suf, b.len() - 1 - suf) {
        suf += 1;
    }
    let (end_a, end_b) = (
        a.len() - suf.saturating_sub(horizon),
        b.len() - suf.saturating_sub(horizon),
    );
    let (ra, rb) = (&a[start..end_a], &b[start..end_b]);
    let (ca, cb) = (&mut old[start..end_a], &mut new[start..end_b]);
    let (keep_a, keep_b) = discard(ra, rb, minimal, ca, cb);
    let xs: Vec<u32> = keep_a.iter().map(|&i| ra[i]).collect();
    let ys: Vec<u32> = keep_b.iter().map(|&i| rb[i]).collect();
    let mut seq = Seq {
        xs: &xs,
        ys: &ys,
        fd: vec![0; xs.len() + ys.len() + 3],
        bd: vec![0; xs.len() + ys.len() + 3],
        off: ys.len() as isize + 1,
        too_expensive: if minimal {
            isize::MAX
        } else {
            too_expensive(xs.len() + ys.len())
        },
    };
    seq.compare(|x| ca[keep_a[x]] = true, |y| cb[keep_b[y]] = true);
    shift_boundaries(ra, ca, cb);
    shift_boundaries(rb, cb, ca);
    Changed { old, new }
}

/// The changes, in order, as runs of changed lines in both files at once.
pub fn changes(ch: &Changed) -> Vec<Change> {
    let (n, m) = (ch.old.len(), ch.new.len());
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        let old_changed = i < n && ch.old[i];
        let new_changed = j < m && ch.new[j];
        if !old_changed && !new_changed {
            i += 1;
            j += 1;
            continue;
        }
        let (i0, j0) = (i, j);
        while i < n && ch.old[i] {
            i += 1;
        }
        while j < m && ch.new[j] {
            j += 1;
        }
        out.push(Change {
            line0: i0,
            line1: j0,
            deleted: i - i0,
            inserted: j - j0,
        });
    }
    out
}

/// The cost after which the search gives up on minimality: about the square root of the
/// number of diagonals, at least 4096.
fn too_expensive(lines: usize) -> isize {
    let mut diags = lines + 3;
    let mut cost: isize = 1;
    while diags != 0 {
        diags >>= 2;
        cost <<= 1;
    }
    cost.max(4096)
}

/// Step 2: marks the discarded lines changed and returns the indexes of the lines kept.
fn discard(
    a: &[u32],
    b: &[u32],
    minimal: bool,
    ca: &mut [bool],
    cb: &mut [bool],
) -> (Vec<usize>, Vec<usize>) {
    if minimal {
        return ((0..a.len()).collect(), (0..b.len()).collect());
    }
    let classes = a
        .iter()
        .chain(b)
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut count = [vec![0usize; classes], vec![0usize; classes]];
    for &c in a {
        count[0][c as usize] += 1;
    }
    for &c in b {
        count[1][c as usize] += 1;
    }
    let mut marks = [provisional(a, &count[1]), provisional(b, &count[0])];
    for m in &mut marks {
        settle(m);
    }
    let keep = |lines: &[u32], marks: &[u8], changed: &mut [bool]| -> Vec<usize> {
        let mut kept = Vec::with_capacity(lines.len());
        for (i, &m) in marks.iter().enumerate() {
            if m == 0 {
                kept.push(i);
            } else {
                changed[i] = true;
            }
        }
        kept
    };
    (keep(a, &marks[0], ca), keep(b, &marks[1], cb))
}

/// 1 for each line with no match in the other file, 2 for one with very many (more than
/// 5 times about the square root of the line count / 64... as GNU sizes it), else 0.
fn provisional(lines: &[u32], other_count: &[usize]) -> Vec<u8> {
    let mut many = 5usize;
    let mut tem = lines.len() / 64;
    loop {
        tem >>= 2;
        if tem == 0 {
            break;
        }
        many *= 2;
    }
    lines
        .iter()
        .map(|&c| match other_count[c as usize] {
            0 => 1,
            n if n > many => 2,
            _ => 0,
        })
        .collect()
}

/// Keeps a provisional discard (2) only inside a run of discards that starts and ends
/// with definite ones and is not too dense with provisionals; the rest become 0.
fn settle(d: &mut [u8]) {
    let end = d.len();
    let mut i = 0;
    while i < end {
        if d[i] == 2 {
            d[i] = 0;
        } else if d[i] != 0 {
            let mut j = i;
            let mut prov = 0usize;
            while j < end && d[j] != 0 {
                if d[j] == 2 {
                    prov += 1;
                }
                j += 1;
            }
            while j > i && d[j - 1] == 2 {
                j -= 1;
                d[j] = 0;
                prov -= 1;
            }
            let length = j - i;
            if prov * 4 > length {
                for x in &mut d[i..j] {
                    if *x == 2 {
                        *x = 0;
                    }
                }
            } else {
                let mut minimum = 1usize;
                let mut tem = length >> 2;
                loop {
                    tem >>= 2;
                    if tem == 0 {
                        break;
                    }
                    minimum <<= 1;
                }
                minimum += 1;
                // Cancel subruns of `minimum` or more provisionals.
                let mut consec = 0usize;
                let mut k = 0isize;
                while (k as usize) < length {
                    let idx = i + k as usize;
                    if d[idx] != 2 {
                        consec = 0;
                    } else {
                        consec += 1;
                        if consec == minimum {
                            k -= consec as isize;
                        } else if consec > minimum {
                            d[idx] = 0;
                        }
                    }
                    k += 1;
                }
                // From the start of the run until 3 definite ones in a row (or the
                // first definite one 8 lines in), cancel provisionals; the same from
                // the end.
                let mut consec = 0;
                for k in 0..length {
                    let idx = i + k;
                    if k >= 8 && d[idx] == 1 {
                        break;
                    }
                    match d[idx] {
                        2 => {
                            consec = 0;
                            d[idx] = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
                i += length - 1;
                let mut consec = 0;
                for k in 0..length {
                    let idx = i - k;
                    if k >= 8 && d[idx] == 1 {
                        break;
                    }
                    match d[idx] {
                        2 => {
                            consec = 0;
                            d[idx] = 0;
                        }
                        0 => consec = 0,
                        _ => consec += 1,
                    }
                    if consec == 3 {
                        break;
                    }
                }
            }
        }
        i += 1;
    }
}

/// Step 3: the divide-and-conquer search over the kept lines.
struct Seq<'s> {
    xs: &'s [u32],
    ys: &'s [u32],
    /// Furthest x reached on each diagonal, forward and backward (index `d + off`).
    fd: Vec<isize>,
    bd: Vec<isize>,
    off: isize,
    too_expensive: isize,
}

/// Where [`Seq::middle`] splits a box, and whether each half must be solved minimally.
struct Split {
    x: isize,
    y: isize,
    lo_minimal: bool,
    hi_minimal: bool,
}

impl Seq<'_> {
    fn eq(&self, x: isize, y: isize) -> bool {
        self.xs[x as usize] == self.ys[y as usize]
    }

    /// Marks every line of the box not on the chosen path (a work list, not recursion,
    /// so no input can exhaust the stack).
    fn compare(&mut self, mut del: impl FnMut(usize), mut ins: impl FnMut(usize)) {
        let mut work = vec![(
            0isize,
            self.xs.len() as isize,
            0isize,
            self.ys.len() as isize,
            false,
        )];
        while let Some((mut xoff, mut xlim, mut yoff, mut ylim, minimal)) = work.pop() {
            while xoff < xlim && yoff < ylim && self.eq(xoff, yoff) {
                xoff += 1;
                yoff += 1;
            }
            while xoff < xlim && yoff < ylim && self.eq(xlim - 1, ylim - 1) {
                xlim -= 1;
                ylim -= 1;
            }
            if xoff == xlim {
                (yoff..ylim).for_each(|y| ins(y as usize));
            } else if yoff == ylim {
                (xoff..xlim).for_each(|x| del(x as usize));
            } else {
                let s = self.middle(xoff, xlim, yoff, ylim, minimal);
                work.push((s.x, xlim, s.y, ylim, s.hi_minimal));
                work.push((xoff, s.x, yoff, s.y, s.lo_minimal));
            }
        }
    }

    /// The middle snake of the box, searched from both corners at once.
    fn middle(
        &mut self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        minimal: bool,
    ) -> Split {
        let off = self.off;
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.fd[(fmid + off) as usize] = xoff;
        self.bd[(bmid + off) as usize] = xlim;
        let mut c: isize = 1;
        loop {
            if fmin > dmin {
                fmin -= 1;
                self.fd[(fmin - 1 + off) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.fd[(fmax + 1 + off) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = self.fd[(d - 1 + off) as usize];
                let thi = self.fd[(d + 1 + off) as usize];
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while x < xlim && y < ylim && self.eq(x, y) {
                    x += 1;
                    y += 1;
                }
                self.fd[(d + off) as usize] = x;
                if odd && bmin <= d && d <= bmax && self.bd[(d + off) as usize] <= x {
                    return Split {
                        x,
                        y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            if bmin > dmin {
                bmin -= 1;
                self.bd[(bmin - 1 + off) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.bd[(bmax + 1 + off) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = self.bd[(d - 1 + off) as usize];
                let thi = self.bd[(d + 1 + off) as usize];
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while xoff < x && yoff < y && self.eq(x - 1, y - 1) {
                    x -= 1;
                    y -= 1;
                }
                self.bd[(d + off) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= self.fd[(d + off) as usize] {
                    return Split {
                        x,
                        y,
                        lo_minimal: true,
                        hi_minimal: true,
                    };
                }
                d -= 2;
            }
            if !minimal && c >= self.too_expensive {
                return self.give_up(xoff, xlim, yoff, ylim, (fmin, fmax), (bmin, bmax));
            }
            c += 1;
        }
    }

    /// Past the budget: the forward or backward diagonal that got furthest.
    fn give_up(
        &self,
        xoff: isize,
        xlim: isize,
        yoff: isize,
        ylim: isize,
        (fmin, fmax): (isize, isize),
        (bmin, bmax): (isize, isize),
    ) -> Split {
        let off = self.off;
        let (mut fxybest, mut fxbest) = (-1isize, 0isize);
        let mut d = fmax;
        while d >= fmin {
            let mut x = self.fd[(d + off) as usize].min(xlim);
            let mut y = x - d;
            if ylim < y {
                x = ylim + d;
                y = ylim;
            }
            if fxybest < x + y {
                fxybest = x + y;
                fxbest = x;
            }
            d -= 2;
        }
        let (mut bxybest, mut bxbest) = (isize::MAX, 0isize);
        let mut d = bmax;
        while d >= bmin {
            let mut x = self.bd[(d + off) as usize].max(xoff);
            let mut y = x - d;
            if y < yoff {
                x = yoff + d;
                y = yoff;
            }
            if x + y < bxybest {
                bxybest = x + y;
                bxbest = x;
            }
            d -= 2;
        }
        if (xlim + ylim) - bxybest < fxybest - (xoff + yoff) {
            Split {
                x: fxbest,
                y: fxybest - fxbest,
                lo_minimal: true,
                hi_minimal: false,
            }
        } else {
            Split {
                x: bxbest,
                y: bxybest - bxbest,
                lo_minimal: false,
                hi_minimal: true,
            }
        }
    }
}

/// Step 4 for one file: slides each run of changed lines in `changed` (over `lines`)
/// while keeping `other` (the other file's flags) in step.
fn shift_boundaries(lines: &[u32], changed: &mut [bool], other: &[bool]) {
    let n = changed.len();
    let ch = |c: &[bool], i: isize| -> bool { i >= 0 && (i as usize) < c.len() && c[i as usize] };
    let (mut i, mut j): (isize, isize) = (0, 0);
    let i_end = n as isize;
    loop {
        while i < i_end && !changed[i as usize] {
            while ch(other, j) {
                j += 1;
            }
            j += 1;
            i += 1;
        }
        if i == i_end {
            break;
        }
        let mut start = i;
        i += 1;
        while ch(changed, i) {
            i += 1;
        }
        while ch(other, j) {
            j += 1;
        }
        let mut corresponding;
        loop {
            let runlength = i - start;
            // Back up while the line before the run equals its last line.
            while start > 0 && lines[(start - 1) as usize] == lines[(i - 1) as usize] {
                start -= 1;
                changed[start as usize] = true;
                i -= 1;
                changed[i as usize] = false;
                while ch(changed, start - 1) {
                    start -= 1;
                }
                j -= 1;
                while ch(other, j) {
                    j -= 1;
                }
            }
            corresponding = if ch(other, j - 1) { i } else { i_end };
            // Then forward while the run's first line equals the line after it.
            while i != i_end && lines[start as usize] == lines[i as usize] {
                changed[start as usize] = false;
                start += 1;
                changed[i as usize] = true;
                i += 1;
                while ch(changed, i) {
                    i += 1;
                }
                j += 1;
                while ch(other, j) {
                    j += 1;
                    corresponding = i;
                }
            }
            if runlength == i - start {
                break;
            }
        }
        while corresponding < i {
            start -= 1;
            changed[start as usize] = true;
            i -= 1;
            changed[i as usize] = false;
            j -= 1;
            while ch(other, j) {
                j -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(a: &str, b: &str) -> Vec<Change> {
        let class = |c: char| c as u32;
        let a: Vec<u32> = a.chars().map(class).collect();
        let b: Vec<u32> = b.chars().map(class).collect();
        changes(&analyze(&a, &b, |i, j| a[i] == b[j], 0, false))
    }

    fn cost(cs: &[Change]) -> usize {
        cs.iter().map(|c| c.deleted + c.inserted).sum()
    }

    #[test]
    fn finds_minimal_scripts() {
        assert_eq!(script("abc", "abc"), vec![]);
        assert_eq!(
            script("abc", "abd"),
            vec![Change {
                line0: 2,
                line1: 2,
                deleted: 1,
                inserted: 1
            }]
        );
        assert_eq!(cost(&script("abcabba", "cbabac")), 5);
        assert_eq!(script("", "ab").len(), 1);
        assert_eq!(script("ab", "").len(), 1);
    }

    #[test]
    fn slides_runs_down() {
        // Deleting one of two equal lines: the change is the later one.
        assert_eq!(
            script("xaay", "xay"),
            vec![Change {
                line0: 2,
                line1: 2,
                deleted: 1,
                inserted: 0
            }]
        );
    }

    #[test]
    fn costly_inputs_settle_for_a_valid_script() {
        // Past the cost budget the script need not be minimal, but the kept lines of
        // both sides must still pair up one to one.
        let a: Vec<u32> = (0..6000).map(|i| (i * 7 % 1000) as u32).collect();
        let b: Vec<u32> = (0..6000).map(|i| (i * 13 % 997) as u32).collect();
        let ch = analyze(&a, &b, |i, j| a[i] == b[j], 0, false);
        let kept_a: Vec<u32> = (0..a.len()).filter(|&i| !ch.old[i]).map(|i| a[i]).collect();
        let kept_b: Vec<u32> = (0..b.len()).filter(|&i| !ch.new[i]).map(|i| b[i]).collect();
        assert_eq!(kept_a, kept_b);
        assert!(!kept_a.is_empty());
    }
}
