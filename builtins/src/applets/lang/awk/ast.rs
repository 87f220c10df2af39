//! The resolved program: variables are slots (global or frame-local), user functions
//! are indices, regex literals are compiled once.

use std::rc::Rc;

use rbox_parser::regex::Regex;

use super::lex::Builtin;
use super::value::Str;

/// Fixed global slots of the special variables.
pub mod special {
    pub const NF: u32 = 0;
    pub const NR: u32 = 1;
    pub const FNR: u32 = 2;
    pub const FS: u32 = 3;
    pub const OFS: u32 = 4;
    pub const ORS: u32 = 5;
    pub const RS: u32 = 6;
    pub const SUBSEP: u32 = 7;
    pub const CONVFMT: u32 = 8;
    pub const OFMT: u32 = 9;
    pub const RSTART: u32 = 10;
    pub const RLENGTH: u32 = 11;
    pub const FILENAME: u32 = 12;
    pub const ARGC: u32 = 13;
    pub const ENVIRON: u32 = 14;
    pub const ARGV: u32 = 15;
    /// The names, in slot order.
    pub const NAMES: [&str; 16] = [
        "NF", "NR", "FNR", "FS", "OFS", "ORS", "RS", "SUBSEP", "CONVFMT", "OFMT", "RSTART",
        "RLENGTH", "FILENAME", "ARGC", "ENVIRON", "ARGV",
    ];
}

/// A variable: a global slot or a slot of the current function's frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    Global(u32),
    Local(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// An assignable place.
#[derive(Debug)]
pub enum LValue {
    Var(Var),
    /// `arr[subscript]` (several subscripts are already joined with SUBSEP).
    Index(Var, Box<Expr>),
    Field(Box<Expr>),
}

/// Where `getline` reads from.
#[derive(Debug)]
pub enum GetSrc {
    Main,
    File(Box<Expr>),
    Cmd(Box<Expr>),
}

#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Str),
    /// A regex literal used as a value: `$0 ~ /re/`.
    Regex(Rc<Regex>),
    Var(Var),
    Index(Var, Box<Expr>),
    Field(Box<Expr>),
    /// Subscripts `a, b` joined with SUBSEP.
    Join(Vec<Expr>),
    Assign(Box<LValue>, Box<Expr>),
    AugAssign(BinOp, Box<LValue>, Box<Expr>),
    /// `++x` / `x--` ...: the delta and whether the new value is the result.
    Incr(Box<LValue>, f64, bool),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `a ~ b` (negated for `!~`).
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `(subscripts) in arr`.
    In(Box<Expr>, Var),
    Call(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    Getline(GetSrc, Option<Box<LValue>>),
    /// `(a, b)`: only valid as the whole argument list of print.
    Group(Vec<Expr>),
    /// A parenthesized expression (kept so `print (a > b)` is not a redirection).
    Paren(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redir {
    File,
    Append,
    Pipe,
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    ForIn(LValue, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    /// `delete arr[sub]`, or the whole array.
    Delete(Var, Option<Expr>),
    /// `getline` as a statement is an expression statement; this is the empty `;`.
    Nop,
}

#[derive(Debug)]
pub enum Pattern {
    All,
    Begin,
    End,
    Expr(Expr),
    /// A range; the index is its slot in the interpreter's "inside" flags.
    Range(Expr, Expr, usize),
}

#[derive(Debug)]
pub struct Item {
    pub pattern: Pattern,
    /// `None`: print the record.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug)]
pub struct Func {
    pub name: Vec<u8>,
    pub nparams: usize,
    /// Which parameters are arrays (inferred from their use).
    pub array_params: Vec<bool>,
    pub body: Vec<Stmt>,
    pub defined: bool,
}

#[derive(Debug)]
pub struct Program {
    pub items: Vec<Item>,
    pub funcs: Vec<Func>,
    /// Global names with whether each is an array.
    pub globals: Vec<(Vec<u8>, bool)>,
    pub ranges: usize,
    /// Whether any END item exists or getline from main input is used (then main input
    /// must be read even with only BEGIN items).
    pub needs_input: bool,
}
