//! The POSIX shell command language: lexer, grammar, AST and pretty-printer.
//!
//! Bytes in, [`Program`] (or one [`CompleteCommand`] at a time) or [`ParseError`] out.
//! The interpreter drives a [`Parser`] one complete command at a time so that earlier
//! lines run before a later syntax error is reported and aliases defined on one line
//! apply to the next.

mod ast;
mod core;
mod error;
mod grammar;
mod heredoc;
mod input;
mod lexer;
mod print;
mod test_expr;
mod word;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use error::{ErrorKind, ParseError};
pub use grammar::subscript_split;
pub use print::{print_command, print_list, print_program, print_word};

/// Alias substitution, supplied by the interpreter.
pub trait AliasHook {
    /// The value of alias `name`, if one is defined.
    fn alias(&self, name: &[u8]) -> Option<&[u8]>;
}

/// An [`AliasHook`] with no aliases.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAliases;

impl AliasHook for NoAliases {
    fn alias(&self, _name: &[u8]) -> Option<&[u8]> {
        None
    }
}

/// An incremental parser over a script.
#[derive(Debug)]
pub struct Parser<'a> {
    state: Option<core::State<'a>>,
}

impl<'a> Parser<'a> {
    /// A parser reading `src` from line 1.
    pub fn new(src: &'a [u8]) -> Self {
        Self::with_line(src, 1)
    }

    /// A parser reading `src` whose first line is numbered `line`.
    pub fn with_line(src: &'a [u8], line: u32) -> Self {
        Parser {
            state: Some(core::State::new(src, line)),
        }
    }

    /// The line the next command starts on (or the current line after an error).
    pub fn line(&self) -> u32 {
        self.state.as_ref().map_or(0, |s| s.inp.line())
    }

    /// Parse the next complete command (a list ended by a newline or the end of input),
    /// consuming its newline and any here-document bodies. `Ok(None)` at the end.
    pub fn next_complete_command(
        &mut self,
        aliases: &dyn AliasHook,
    ) -> Result<Option<CompleteCommand>, ParseError> {
        let Some(mut st) = self.state.take() else {
            return Ok(None);
        };
        st.peeked = None;
        st.depth = 0;
        let mut p = core::P::new(st, aliases);
        let r = p.complete_command();
        self.state = Some(p.st);
        r
    }
}

/// Parse a whole script (for `sh -n` and tests), without aliases.
pub fn parse_program(src: &[u8]) -> Result<Program, ParseError> {
    let mut parser = Parser::new(src);
    let mut program = Program::default();
    while let Some(c) = parser.next_complete_command(&NoAliases)? {
        program.commands.push(c);
    }
    Ok(program)
}
