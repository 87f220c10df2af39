//! The typed syntax tree the interpreter walks.
//!
//! Shell text is bytes everywhere (`Vec<u8>`). Every command node records the line it
//! starts on (for `LINENO` and error messages). Line numbers are the only source position
//! kept; two trees that differ only in line numbers mean the same program.

/// A whole script: its complete commands in order (one per top-level line or list).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// The complete commands, in source order.
    pub commands: Vec<CompleteCommand>,
}

/// One top-level list, up to (not including) the newline that ends it.
pub type CompleteCommand = List;

/// A sequence of and-or lists separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct List {
    /// The items, in order.
    pub items: Vec<ListItem>,
}

/// One and-or list of a [`List`], with how it is run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// The and-or list itself.
    pub and_or: AndOr,
    /// `true` when it was terminated by `&` (run asynchronously).
    pub is_async: bool,
}

/// `pipeline { (&& | ||) pipeline }`, evaluated left to right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The following pipelines with the operator before each.
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// The operator between two pipelines of an and-or list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOrOp {
    /// `&&`: run the next pipeline if the previous one succeeded.
    And,
    /// `||`: run the next pipeline if the previous one failed.
    Or,
}

/// `[!] command { | command }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// `true` when preceded by `!` (invert the status).
    pub bang: bool,
    /// The commands, left to right; never empty.
    pub commands: Vec<Command>,
    /// Line the pipeline starts on.
    pub line: u32,
}

/// One command of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Assignments, words and redirections.
    Simple(SimpleCommand),
    /// A compound command with the redirections that follow it.
    Compound(CompoundCommand),
    /// `name() compound-command [redirections]`.
    FunctionDef(FunctionDef),
}

/// A simple command: `[assignments] [words] ` with redirections anywhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `name=value` words before the command name.
    pub assigns: Vec<Assign>,
    /// The command name and its arguments (may be empty).
    pub words: Vec<Word>,
    /// The redirections, in source order.
    pub redirects: Vec<Redirect>,
    /// Line the command starts on.
    pub line: u32,
}

/// An assignment word `name=value` in prefix position; also `name[sub]=value`,
/// `name+=value` and `name=(words...)` (bash/ksh arrays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assign {
    /// The variable name.
    pub name: Vec<u8>,
    /// The subscript of `name[sub]=value`, as written between the brackets.
    pub index: Option<Word>,
    /// `+=`: append to the value (or to the array).
    pub append: bool,
    /// The value (tilde prefixes after `=` and `:` already split out); a compound value
    /// `(words...)` is a single [`WordPart::Array`].
    pub value: Word,
}

/// A compound command and the redirections written after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompoundCommand {
    /// Which compound command.
    pub kind: CompoundKind,
    /// Redirections applying to the whole command.
    pub redirects: Vec<Redirect>,
    /// Line the command starts on.
    pub line: u32,
}

/// The kinds of compound command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompoundKind {
    /// `{ list; }`.
    Brace(List),
    /// `( list )`.
    Subshell(List),
    /// `if c; then b; [elif c; then b;]... [else b;] fi`.
    If {
        /// `(condition, body)` for the `if` and each `elif`.
        branches: Vec<(List, List)>,
        /// The `else` body.
        else_body: Option<List>,
    },
    /// `while cond; do body; done`.
    While {
        /// The condition.
        cond: List,
        /// The body.
        body: List,
    },
    /// `until cond; do body; done`.
    Until {
        /// The condition.
        cond: List,
        /// The body.
        body: List,
    },
    /// `for name [in words]; do body; done`.
    For {
        /// The loop variable.
        var: Vec<u8>,
        /// The words after `in`; `None` when `in` was omitted (loop over `"$@"`).
        words: Option<Vec<Word>>,
        /// The body.
        body: List,
    },
    /// `case word in arms esac`.
    Case {
        /// The word matched against the patterns.
        word: Word,
        /// The arms in order.
        arms: Vec<CaseArm>,
    },
    /// `[[ expression ]]` (bash/ash extension).
    Test(TestExpr),
    /// `((expression))` (bash/ash extension): the text between the parentheses, expanded
    /// like the inside of `$((...))`; status 0 when it evaluates to non-zero.
    Arith(Word),
}

/// One arm of a `case`: `(pat | pat) body ;;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseArm {
    /// The patterns (at least one); glob characters in unquoted literals are live.
    pub patterns: Vec<Word>,
    /// The commands run when a pattern matches (may be empty).
    pub body: List,
    /// What follows the body.
    pub term: CaseTerm,
}

/// How a `case` arm ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseTerm {
    /// `;;` (or the last arm without a terminator): stop.
    Break,
    /// `;&`: run the next arm's body too (extension).
    FallThrough,
    /// `;;&`: go on testing the next patterns (bash extension).
    Continue,
}

/// A function definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDef {
    /// The function name.
    pub name: Vec<u8>,
    /// The body, with its own redirections (applied at each call).
    pub body: Box<CompoundCommand>,
    /// Line of the definition.
    pub line: u32,
}

/// A redirection `[n]op target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit file descriptor (`2>`), or `None` for the operator's default.
    pub fd: Option<u32>,
    /// The operator.
    pub kind: RedirKind,
    /// The file name, fd word, here-string or here-document.
    pub target: RedirTarget,
}

/// Redirection operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirKind {
    /// `<`
    Input,
    /// `>`
    Output,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<&`
    DupInput,
    /// `>&`
    DupOutput,
    /// `<>`
    ReadWrite,
    /// `<<` (target is a [`RedirTarget::HereDoc`])
    HereDoc,
    /// `<<-`: here-document with leading tabs stripped
    HereDocStrip,
    /// `<<<`: here-string (extension)
    HereString,
    /// `&>`: stdout and stderr to a file (bash/ash extension; never has an fd)
    OutputBoth,
    /// `&>>`: stdout and stderr appended to a file (bash/ash extension; never has an fd)
    AppendBoth,
}

/// What a redirection refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirTarget {
    /// A word to expand (file name, fd number or `-`, here-string text).
    Word(Word),
    /// A here-document.
    HereDoc(HereDoc),
}

/// A here-document: its delimiter and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDoc {
    /// The delimiter after quote removal.
    pub delimiter: Vec<u8>,
    /// `true` if any part of the delimiter was quoted (the body is then literal).
    pub quoted: bool,
    /// The body, up to and excluding the delimiter line.
    pub body: HereDocBody,
}

/// The body of a here-document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HereDocBody {
    /// Quoted delimiter: the bytes as written (tabs already stripped for `<<-`).
    Literal(Vec<u8>),
    /// Unquoted delimiter: parsed for `$`, backquotes and `\` (tabs already stripped).
    /// Literal parts here are *quoted* text (no field splitting or globbing).
    Parsed(Word),
    /// Internal placeholder while the body has not been read; never in a returned tree.
    #[doc(hidden)]
    Pending(u32),
}

/// A word: the concatenation of its parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// The parts in order; adjacent literals are always merged.
    pub parts: Vec<WordPart>,
}

/// One piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordPart {
    /// Literal text. Unquoted at the top level of a word (glob characters are live);
    /// quoted when inside [`WordPart::DoubleQuoted`] or a here-document body.
    Literal(Vec<u8>),
    /// `'text'`.
    SingleQuoted(Vec<u8>),
    /// `"..."` with its inner parts (literals, escapes, expansions).
    DoubleQuoted(Vec<WordPart>),
    /// A backslash-escaped byte `\c` (quoted).
    Escaped(u8),
    /// `$'...'`, escapes already decoded (quoted).
    AnsiC(Vec<u8>),
    /// `$name`, `${...}`.
    Param(ParamExp),
    /// `$(...)` or `` `...` ``.
    CommandSub {
        /// The parsed commands.
        program: Program,
        /// `true` for the backquote form.
        backquoted: bool,
    },
    /// `$((...))`: the body, to be expanded and then parsed by `crate::arith`.
    Arith(Word),
    /// A tilde prefix `~` or `~user` (the user name, possibly empty).
    Tilde(Vec<u8>),
    /// `(word...)`: the compound value of an array assignment (`a=(x y)`, also after
    /// `declare a=`); only ever the last part of an assignment's value.
    Array(Vec<Word>),
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamExp {
    /// The parameter.
    pub param: Param,
    /// The operation applied to it.
    pub op: ParamOp,
    /// `true` if written with braces (`${x}`); only matters for printing.
    pub braced: bool,
    /// `${!name...}`: indirection (the value names the parameter), or the keys of an
    /// array with `${!a[@]}`.
    pub indirect: bool,
}

/// A parameter name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// A variable name.
    Named(Vec<u8>),
    /// `$1`..`$9`, `${10}`...
    Positional(u32),
    /// One of `@ * # ? - $ ! 0`.
    Special(u8),
    /// `name[subscript]` (arrays).
    Index(Vec<u8>, Subscript),
}

/// The subscript of `${name[...]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscript {
    /// `[@]`: every element, as separate fields when quoted.
    At,
    /// `[*]`: every element, joined when quoted.
    Star,
    /// An index (arithmetic for indexed arrays) or key (associative arrays).
    Expr(Word),
}

/// The operation of a parameter expansion. `colon` marks the `:` variants (also test
/// for an empty value, not just unset). Pattern operands (`#` `%` `/`) are parsed as in
/// unquoted text even inside double quotes: their unquoted literals are live patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamOp {
    /// `$x`, `${x}`.
    Plain,
    /// `${#x}`.
    Length,
    /// `${x-w}`, `${x:-w}`.
    Default {
        /// `:` variant.
        colon: bool,
        /// The operand.
        word: Word,
    },
    /// `${x=w}`, `${x:=w}`.
    Assign {
        /// `:` variant.
        colon: bool,
        /// The operand.
        word: Word,
    },
    /// `${x?w}`, `${x:?w}`.
    Error {
        /// `:` variant.
        colon: bool,
        /// The operand (the message).
        word: Word,
    },
    /// `${x+w}`, `${x:+w}`.
    Alternative {
        /// `:` variant.
        colon: bool,
        /// The operand.
        word: Word,
    },
    /// `${x#p}`, `${x##p}`.
    RemovePrefix {
        /// `##`.
        longest: bool,
        /// The pattern.
        pattern: Word,
    },
    /// `${x%p}`, `${x%%p}`.
    RemoveSuffix {
        /// `%%`.
        longest: bool,
        /// The pattern.
        pattern: Word,
    },
    /// `${x:offset}`, `${x:offset:length}` (extension; both are arithmetic text).
    Substring {
        /// The offset expression.
        offset: Word,
        /// The length expression.
        length: Option<Word>,
    },
    /// `${x@Q}`, `${x@U}`, `${x@u}`, `${x@L}` (bash): the value quoted for re-use,
    /// upper-cased, first letter upper-cased, lower-cased.
    Transform {
        /// The letter after `@`.
        op: u8,
    },
    /// `${!prefix*}`, `${!prefix@}`: the names of the variables starting with the
    /// parameter's name (bash).
    Names {
        /// `*` (joined when quoted) rather than `@`.
        star: bool,
    },
    /// `${x/p/r}`, `${x//p/r}`, `${x/#p/r}`, `${x/%p/r}` (extension).
    Replace {
        /// Which occurrences.
        mode: ReplaceMode,
        /// The pattern.
        pattern: Word,
        /// The replacement; `None` when the second `/` is absent.
        replacement: Option<Word>,
    },
}

/// Which match a `${x/p/r}` replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaceMode {
    /// `/`: the first match.
    First,
    /// `//`: every match.
    All,
    /// `/#`: a match at the start.
    Prefix,
    /// `/%`: a match at the end.
    Suffix,
}

/// A `[[ ... ]]` expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestExpr {
    /// A lone word: true if it expands to a non-empty string.
    Word(Word),
    /// `-f word` and friends.
    Unary(TestUnaryOp, Word),
    /// `word op word`.
    Binary(TestBinaryOp, Word, Word),
    /// `! e`.
    Not(Box<TestExpr>),
    /// `e && e`.
    And(Box<TestExpr>, Box<TestExpr>),
    /// `e || e`.
    Or(Box<TestExpr>, Box<TestExpr>),
    /// `( e )`.
    Group(Box<TestExpr>),
}

macro_rules! op_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vm])* $v,)* }
        impl $name {
            /// The operator as written.
            pub fn as_bytes(self) -> &'static [u8] {
                match self { $(Self::$v => $s,)* }
            }
            /// The operator written as `s`, if any.
            pub fn from_bytes(s: &[u8]) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}

op_enum!(
    /// Unary `[[ ]]` operators.
    TestUnaryOp {
        /// exists
        Exists = b"-e",
        /// exists (old spelling)
        ExistsA = b"-a",
        /// block device
        Block = b"-b",
        /// character device
        Char = b"-c",
        /// directory
        Dir = b"-d",
        /// regular file
        File = b"-f",
        /// set-group-id
        SetGid = b"-g",
        /// symbolic link
        SymlinkH = b"-h",
        /// sticky
        Sticky = b"-k",
        /// symbolic link
        Symlink = b"-L",
        /// FIFO
        Fifo = b"-p",
        /// readable
        Readable = b"-r",
        /// non-empty file
        NonEmptyFile = b"-s",
        /// socket
        Socket = b"-S",
        /// fd is a terminal
        Terminal = b"-t",
        /// set-user-id
        SetUid = b"-u",
        /// writable
        Writable = b"-w",
        /// executable
        Executable = b"-x",
        /// owned by effective gid
        OwnedGroup = b"-G",
        /// owned by effective uid
        Owned = b"-O",
        /// modified since last read
        Modified = b"-N",
        /// empty string
        Empty = b"-z",
        /// non-empty string
        NonEmpty = b"-n",
        /// shell option set
        Option = b"-o",
        /// variable set
        VarSet = b"-v",
        /// name reference
        NameRef = b"-R",
    }
);

op_enum!(
    /// Binary `[[ ]]` operators.
    TestBinaryOp {
        /// pattern match
        Match = b"==",
        /// pattern match (single `=`)
        MatchEq = b"=",
        /// pattern non-match
        NoMatch = b"!=",
        /// ERE match
        Regex = b"=~",
        /// sorts before
        Less = b"<",
        /// sorts after
        Greater = b">",
        /// numeric equal
        Eq = b"-eq",
        /// numeric not equal
        Ne = b"-ne",
        /// numeric less
        Lt = b"-lt",
        /// numeric less or equal
        Le = b"-le",
        /// numeric greater
        Gt = b"-gt",
        /// numeric greater or equal
        Ge = b"-ge",
        /// newer than
        NewerThan = b"-nt",
        /// older than
        OlderThan = b"-ot",
        /// same file
        SameFile = b"-ef",
    }
);

impl Word {
    /// A word of one unquoted literal.
    pub fn literal(text: &[u8]) -> Word {
        Word {
            parts: vec![WordPart::Literal(text.to_vec())],
        }
    }

    /// The text if the word is a single unquoted literal (the only form that can be a
    /// reserved word, an alias name or a function name).
    pub fn as_literal(&self) -> Option<&[u8]> {
        match self.parts.as_slice() {
            [WordPart::Literal(s)] => Some(s),
            _ => None,
        }
    }
}

/// `true` if `s` is a valid shell variable name.
pub fn is_name(s: &[u8]) -> bool {
    match s.split_first() {
        Some((c, rest)) => {
            (c.is_ascii_alphabetic() || *c == b'_')
                && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name(b"a_1"));
        assert!(is_name(b"_"));
        assert!(!is_name(b"1a"));
        assert!(!is_name(b""));
        assert!(!is_name(b"a-b"));
    }

    #[test]
    fn op_tables_round_trip() {
        for op in [b"-f".as_slice(), b"-z", b"-L"] {
            assert_eq!(TestUnaryOp::from_bytes(op).map(|o| o.as_bytes()), Some(op));
        }
        assert_eq!(TestBinaryOp::from_bytes(b"=~"), Some(TestBinaryOp::Regex));
        assert_eq!(TestBinaryOp::from_bytes(b"-x"), None);
    }

    #[test]
    fn literal_words() {
        assert_eq!(Word::literal(b"if").as_literal(), Some(b"if".as_slice()));
        let w = Word {
            parts: vec![WordPart::SingleQuoted(b"if".to_vec())],
        };
        assert_eq!(w.as_literal(), None);
    }
}
