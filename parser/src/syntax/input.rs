//! The byte source: the script text plus a stack of pushed alias values.

/// An alias value being read in place of the word that named it.
#[derive(Clone, Debug)]
pub(super) struct AliasFrame {
    /// The alias name (not re-expanded while this frame is on the stack).
    pub name: Vec<u8>,
    /// The value.
    pub text: Vec<u8>,
    /// Read position in `text`.
    pub pos: usize,
}

/// A saved read position, for backtracking.
#[derive(Clone, Debug)]
pub(super) struct Mark {
    pos: usize,
    line: u32,
    line_start: usize,
    frames: Vec<AliasFrame>,
}

/// The source bytes with line tracking.
#[derive(Debug)]
pub(super) struct Input<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    frames: Vec<AliasFrame>,
}

impl<'a> Input<'a> {
    /// Read `src`, counting lines from `line`.
    pub fn new(src: &'a [u8], line: u32) -> Self {
        Input {
            src,
            pos: 0,
            line,
            line_start: 0,
            frames: Vec::new(),
        }
    }

    /// The next byte, without consuming it.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        if self.frames.is_empty() {
            return self.src.get(self.pos).copied();
        }
        self.peek_at(0)
    }

    /// The byte `k` positions ahead.
    pub fn peek_at(&self, mut k: usize) -> Option<u8> {
        for f in self.frames.iter().rev() {
            let avail = f.text.len().saturating_sub(f.pos);
            if k < avail {
                return f.text.get(f.pos + k).copied();
            }
            k -= avail;
        }
        self.src.get(self.pos.checked_add(k)?).copied()
    }

    /// Consume and return the next byte.
    pub fn bump(&mut self) -> Option<u8> {
        while let Some(f) = self.frames.last_mut() {
            if let Some(&c) = f.text.get(f.pos) {
                f.pos += 1;
                return Some(c);
            }
            self.frames.pop();
        }
        let c = *self.src.get(self.pos)?;
        self.pos += 1;
        if c == b'\n' {
            self.line = self.line.saturating_add(1);
            self.line_start = self.pos;
        }
        Some(c)
    }

    /// Skip `\` newline pairs (line continuations).
    #[inline]
    pub fn eat_continuations(&mut self) {
        while self.peek() == Some(b'\\') && self.peek_at(1) == Some(b'\n') {
            self.bump();
            self.bump();
        }
    }

    /// `true` if the script ends with a line continuation (`\` newline).
    pub fn ends_in_continuation(&self) -> bool {
        match self.src.strip_suffix(b"\n") {
            Some(s) => s.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1,
            None => false,
        }
    }

    /// Current line (1-based unless started elsewhere).
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Current 1-based column in the script text.
    pub fn column(&self) -> u32 {
        u32::try_from(self.pos.saturating_sub(self.line_start) + 1).unwrap_or(u32::MAX)
    }

    /// Offset in the script text, if not reading an alias value.
    pub fn main_offset(&self) -> Option<usize> {
        if self.frames.iter().all(|f| f.pos >= f.text.len()) {
            Some(self.pos)
        } else {
            None
        }
    }

    /// The unread bytes of the innermost source (for table-driven operator matching).
    pub fn rest(&self) -> &[u8] {
        for f in self.frames.iter().rev() {
            if let Some(r) = f.text.get(f.pos..)
                && !r.is_empty()
            {
                return r;
            }
        }
        self.src.get(self.pos..).unwrap_or(&[])
    }

    /// Consume `n` bytes.
    pub fn skip(&mut self, n: usize) {
        for _ in 0..n {
            self.bump();
        }
    }

    /// Start reading an alias value in place.
    pub fn push_alias(&mut self, name: Vec<u8>, text: Vec<u8>) {
        self.frames.push(AliasFrame { name, text, pos: 0 });
    }

    /// `true` if alias `name` is being read (so must not be expanded again).
    pub fn alias_active(&self, name: &[u8]) -> bool {
        self.frames.iter().any(|f| f.name == name)
    }

    /// Save the read position.
    pub fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
            line_start: self.line_start,
            frames: self.frames.clone(),
        }
    }

    /// Go back to a saved position.
    pub fn reset(&mut self, m: Mark) {
        self.pos = m.pos;
        self.line = m.line;
        self.line_start = m.line_start;
        self.frames = m.frames;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_lines() {
        let mut i = Input::new(b"a\nb", 1);
        assert_eq!(i.bump(), Some(b'a'));
        i.push_alias(b"x".to_vec(), b"XY".to_vec());
        assert!(i.alias_active(b"x"));
        assert_eq!(i.peek_at(2), Some(b'\n'));
        assert_eq!(i.rest(), b"XY");
        assert_eq!(i.bump(), Some(b'X'));
        assert_eq!(i.bump(), Some(b'Y'));
        assert!(i.alias_active(b"x"), "frame stays until the next read");
        assert_eq!(i.bump(), Some(b'\n'));
        assert!(!i.alias_active(b"x"));
        assert_eq!(i.line(), 2);
        assert_eq!(i.column(), 1);
        let m = i.mark();
        assert_eq!(i.bump(), Some(b'b'));
        assert_eq!(i.bump(), None);
        i.reset(m);
        assert_eq!(i.peek(), Some(b'b'));
    }

    #[test]
    fn continuations() {
        let mut i = Input::new(b"\\\n\\\nx", 1);
        i.eat_continuations();
        assert_eq!(i.peek(), Some(b'x'));
        assert_eq!(i.line(), 3);
    }
}
