//! A small backtracking matcher for patterns with backreferences.
//!
//! The AST is compiled to a tiny instruction list and run depth-first with an explicit
//! stack. Every path from a start position is explored and the longest match is kept (the
//! first one found among equally long ones, i.e. leftmost-first priority), so the result
//! is leftmost-longest like the automata engine. The work is bounded by a step budget;
//! running out is reported as [`RegexError::BacktrackLimit`].

use super::syntax::{ByteSet, Look, Node};
use super::{Groups, RegexError};

/// Steps (instructions executed) allowed per search call.
const STEP_BUDGET: u64 = 20_000_000;
/// Largest program accepted (intervals are expanded by copying their body).
const MAX_INSTS: usize = 500_000;

#[derive(Debug)]
enum Inst {
    Byte(u8),
    Set(Box<ByteSet>),
    Look(Look),
    /// Try the first target, on failure the second.
    Split(usize, usize),
    Jmp(usize),
    /// Record the position in a capture slot.
    Save(usize),
    Backref(usize),
    /// Record the position in loop register `k`.
    Mark(usize),
    /// If the position did not move since the matching `Mark`, leave the loop (jump to
    /// the target): an empty iteration is allowed once, so `\(a*\)*` sets `\1` to "".
    Progress(usize, usize),
    Match,
}

/// A compiled backtracking program.
pub(crate) struct Program {
    insts: Vec<Inst>,
    slots: usize,
    marks: usize,
    icase: bool,
    newline: bool,
}

const NONE: usize = usize::MAX;

struct Compiler {
    insts: Vec<Inst>,
    marks: usize,
}

impl Compiler {
    fn push(&mut self, i: Inst) -> Result<usize, RegexError> {
        if self.insts.len() >= MAX_INSTS {
            return Err(RegexError::TooBig);
        }
        self.insts.push(i);
        Ok(self.insts.len() - 1)
    }

    fn patch(&mut self, at: usize, target: usize) {
        if let Some(Inst::Split(_, b)) = self.insts.get_mut(at) {
            *b = target;
        }
    }

    fn node(&mut self, n: &Node) -> Result<(), RegexError> {
        match n {
            Node::Empty => {}
            Node::Literal(b) => {
                self.push(Inst::Byte(*b))?;
            }
            Node::Set(s) => {
                self.push(Inst::Set(s.clone()))?;
            }
            Node::Look(l) => {
                self.push(Inst::Look(*l))?;
            }
            Node::Group(inner, i) => {
                self.push(Inst::Save(2 * i))?;
                self.node(inner)?;
                self.push(Inst::Save(2 * i + 1))?;
            }
            Node::Backref(i) => {
                self.push(Inst::Backref(*i))?;
            }
            Node::Concat(v) => {
                for x in v {
                    self.node(x)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        let first = split + 1;
                        if let Some(Inst::Split(a, _)) = self.insts.get_mut(split) {
                            *a = first;
                        }
                        self.node(x)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.insts.len();
                        self.patch(split, next);
                    } else {
                        self.node(x)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    if let Some(Inst::Jmp(t)) = self.insts.get_mut(j) {
                        *t = end;
                    }
                }
            }
            Node::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.node(inner)?;
                }
                match max {
                    None => {
                        let k = self.marks;
                        self.marks += 1;
                        let split = self.push(Inst::Split(0, 0))?;
                        if let Some(Inst::Split(a, _)) = self.insts.get_mut(split) {
                            *a = split + 1;
                        }
                        self.push(Inst::Mark(k))?;
                        self.node(inner)?;
                        let progress = self.push(Inst::Progress(k, 0))?;
                        self.push(Inst::Jmp(split))?;
                        let end = self.insts.len();
                        self.patch(split, end);
                        if let Some(Inst::Progress(_, t)) = self.insts.get_mut(progress) {
                            *t = end;
                        }
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            let split = self.push(Inst::Split(0, 0))?;
                            if let Some(Inst::Split(a, _)) = self.insts.get_mut(split) {
                                *a = split + 1;
                            }
                            splits.push(split);
                            self.node(inner)?;
                        }
                        let end = self.insts.len();
                        for s in splits {
                            self.patch(s, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

enum Frame {
    /// Resume at `pc` with the position `pos`.
    Alt(usize, usize),
    /// Restore register `reg` to `old`.
    Undo(usize, usize),
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Program {
    /// Compiles `node` with `groups` capture groups.
    pub(crate) fn new(
        node: &Node,
        groups: usize,
        icase: bool,
        newline: bool,
    ) -> Result<Program, RegexError> {
        let mut c = Compiler {
            insts: Vec::new(),
            marks: 0,
        };
        c.node(node)?;
        c.push(Inst::Match)?;
        Ok(Program {
            insts: c.insts,
            slots: 2 * (groups + 1),
            marks: c.marks,
            icase,
            newline,
        })
    }

    fn look(&self, l: Look, hay: &[u8], pos: usize) -> bool {
        let before = pos.checked_sub(1).and_then(|p| hay.get(p)).copied();
        let after = hay.get(pos).copied();
        let wb = before.is_some_and(is_word);
        let wa = after.is_some_and(is_word);
        match l {
            Look::Bol => pos == 0 || (self.newline && before == Some(b'\n')),
            Look::Eol => pos == hay.len() || (self.newline && after == Some(b'\n')),
            Look::BufStart => pos == 0,
            Look::BufEnd => pos == hay.len(),
            Look::WordStart => !wb && wa,
            Look::WordEnd => wb && !wa,
            Look::WordBoundary => wb != wa,
            Look::NotWordBoundary => wb == wa,
        }
    }

    /// Leftmost-longest match at or after `start`: the slots (`2 * (groups + 1)`, `NONE`
    /// for unset) of the best match.
    pub(crate) fn find(&self, hay: &[u8], start: usize) -> Result<Option<Groups>, RegexError> {
        let mut steps = 0u64;
        let mut regs = vec![NONE; self.slots + self.marks];
        let mut stack = Vec::new();
        for s in start..=hay.len() {
            if let Some(best) = self.run(hay, s, &mut steps, &mut regs, &mut stack)? {
                let groups = best[..self.slots]
                    .chunks(2)
                    .map(|p| (p[0] != NONE && p[1] != NONE).then_some((p[0], p[1])))
                    .collect();
                return Ok(Some(groups));
            }
        }
        Ok(None)
    }

    fn run(
        &self,
        hay: &[u8],
        s: usize,
        steps: &mut u64,
        regs: &mut [usize],
        stack: &mut Vec<Frame>,
    ) -> Result<Option<Vec<usize>>, RegexError> {
        regs.fill(NONE);
        stack.clear();
        let mut best: Option<Vec<usize>> = None;
        let mut best_end = 0;
        let (mut pc, mut pos) = (0usize, s);
        loop {
            *steps += 1;
            if *steps > STEP_BUDGET {
                return Err(RegexError::BacktrackLimit);
            }
            let ok = match self.insts.get(pc) {
                Some(Inst::Byte(b)) => {
                    let hit = hay.get(pos) == Some(b);
                    pos += 1;
                    pc += 1;
                    hit
                }
                Some(Inst::Set(set)) => {
                    let hit = hay.get(pos).is_some_and(|&c| set.contains(c));
                    pos += 1;
                    pc += 1;
                    hit
                }
                Some(Inst::Look(l)) => {
                    pc += 1;
                    self.look(*l, hay, pos)
                }
                Some(Inst::Split(a, b)) => {
                    stack.push(Frame::Alt(*b, pos));
                    pc = *a;
                    true
                }
                Some(Inst::Jmp(t)) => {
                    pc = *t;
                    true
                }
                Some(Inst::Save(slot)) => {
                    let r = *slot;
                    stack.push(Frame::Undo(r, regs[r]));
                    regs[r] = pos;
                    pc += 1;
                    true
                }
                Some(Inst::Mark(k)) => {
                    let r = self.slots + k;
                    stack.push(Frame::Undo(r, regs[r]));
                    regs[r] = pos;
                    pc += 1;
                    true
                }
                Some(Inst::Progress(k, exit)) => {
                    pc = if regs[self.slots + k] == pos {
                        *exit
                    } else {
                        pc + 1
                    };
                    true
                }
                Some(Inst::Backref(i)) => {
                    pc += 1;
                    let (a, b) = (regs[2 * i], regs[2 * i + 1]);
                    if a == NONE || b == NONE || a > b {
                        false
                    } else {
                        let len = b - a;
                        match hay.get(pos..pos + len) {
                            Some(text) => {
                                let want = &hay[a..b];
                                let hit = if self.icase {
                                    text.eq_ignore_ascii_case(want)
                                } else {
                                    text == want
                                };
                                pos += len;
                                hit
                            }
                            None => false,
                        }
                    }
                }
                Some(Inst::Match) | None => {
                    if best.is_none() || pos > best_end {
                        best_end = pos;
                        let mut r = regs[..self.slots].to_vec();
                        r[0] = s;
                        r[1] = pos;
                        best = Some(r);
                    }
                    if pos == hay.len() {
                        return Ok(best);
                    }
                    false
                }
            };
            if ok {
                continue;
            }
            // Backtrack.
            loop {
                match stack.pop() {
                    None => return Ok(best),
                    Some(Frame::Undo(r, old)) => regs[r] = old,
                    Some(Frame::Alt(p, q)) => {
                        pc = p;
                        pos = q;
                        break;
                    }
                }
            }
        }
    }
}
