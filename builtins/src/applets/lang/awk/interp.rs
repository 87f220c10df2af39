//! The tree-walking interpreter: records and lazy fields, variables in slots, arrays,
//! user functions with frames, getline, output redirections and pipes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};
use std::rc::Rc;

use rbox_parser::regex::Regex;

use crate::ctx::{Ctx, PipeDir};
use crate::error::strerror;

use super::ast::special::*;
use super::ast::*;
use super::builtins::{self as bi, Splitter};
use super::io::{FdReader, InSrc, InStream, OutKind, OutStream, RecReader, RsMode};
use super::lex::{Builtin, escape};
use super::printf;
use super::value::{Str, Value, compare, empty, fmt_num_into, str_to_num};

/// How much stack the interpreter may use before calls are refused: awk runs on a
/// process's main thread (8 MiB by default). A release build needs about 1 KiB per
/// level of user-function recursion, a debug build about 10 KiB.
const STACK_LIMIT: usize = 6 * 1024 * 1024;
/// The largest field number that may be referenced.
const MAX_FIELD: usize = 1 << 22;

/// Why evaluation stopped early.
pub enum Stop {
    Fatal(String),
    Exit,
    Next,
    NextFile,
}

type Res<T> = Result<T, Stop>;

fn fatal<T>(msg: impl Into<String>) -> Res<T> {
    Err(Stop::Fatal(msg.into()))
}

enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// A small fast hash for array keys (FxHash-like).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        self.0 = h;
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// An awk array: keys in insertion order (so `for (k in a)` is deterministic).
#[derive(Default)]
pub struct Array {
    map: HashMap<Str, usize, BuildHasherDefault<Fx>>,
    slots: Vec<Option<(Str, Value)>>,
    scratch: Value,
}

impl Array {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn contains(&self, k: &[u8]) -> bool {
        self.map.contains_key(k)
    }

    pub fn get(&self, k: &[u8]) -> Option<&Value> {
        let &i = self.map.get(k)?;
        self.slots.get(i)?.as_ref().map(|(_, v)| v)
    }

    /// The element `k`, created uninitialised when absent.
    pub fn entry(&mut self, k: &[u8]) -> &mut Value {
        let i = match self.map.get(k) {
            Some(&i) => i,
            None => {
                let key: Str = Rc::from(k);
                self.slots.push(Some((key.clone(), Value::Uninit)));
                self.map.insert(key, self.slots.len() - 1);
                self.slots.len() - 1
            }
        };
        match self.slots.get_mut(i) {
            Some(Some((_, v))) => v,
            // Map indices always name live slots; this keeps the function total.
            _ => {
                self.scratch = Value::Uninit;
                &mut self.scratch
            }
        }
    }

    pub fn set(&mut self, k: &[u8], v: Value) {
        *self.entry(k) = v;
    }

    pub fn remove(&mut self, k: &[u8]) {
        if let Some(i) = self.map.remove(k)
            && let Some(s) = self.slots.get_mut(i)
        {
            *s = None;
        }
        if self.map.is_empty() {
            self.slots.clear();
        } else if self.slots.len() > 32 && self.map.len() * 2 < self.slots.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.map.clear();
        for (k, v) in old.into_iter().flatten() {
            self.slots.push(Some((k.clone(), v)));
            self.map.insert(k, self.slots.len() - 1);
        }
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.slots.clear();
    }

    pub fn keys(&self) -> Vec<Str> {
        self.slots
            .iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect()
    }
}

type ArrRef = Rc<RefCell<Array>>;

/// A variable's storage.
pub enum Cell {
    Val(Value),
    Arr(ArrRef),
}

/// The current record and its fields.
#[derive(Default)]
struct Record {
    text: Vec<u8>,
    val: Option<Value>,
    split: bool,
    /// Where splitting stopped when only the first fields were needed.
    resume: Option<usize>,
    spans: Vec<(usize, usize)>,
    /// The fields as values once one was assigned (then `text` is rebuilt from them).
    fields: Vec<Value>,
    mat: bool,
    nf: usize,
}

enum Place {
    Var(Var),
    Elem(ArrRef, Str),
    Field(usize),
    /// Not assignable (sub's third argument as a plain value): stores are dropped.
    None,
}

/// The main input: the operands in ARGV, read in turn.
#[derive(Default)]
struct MainIn {
    argi: usize,
    src: Option<InSrc>,
    reader: RecReader,
    opened_any: bool,
    done: bool,
}

pub struct Interp<'p, 'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    prog: &'p Program,
    globals: Vec<Cell>,
    global_index: HashMap<Vec<u8>, u32>,
    frames: Vec<Cell>,
    fp: usize,
    rec: Record,
    convfmt: Str,
    ofmt: Str,
    subsep: Str,
    ofs: Str,
    ors: Str,
    fs: Splitter,
    rs: RsMode,
    in_read: bool,
    ranges: Vec<bool>,
    main: MainIn,
    outputs: Vec<OutStream>,
    inputs: Vec<InStream>,
    regex_cache: HashMap<Vec<u8>, Rc<Regex>>,
    rand_state: u64,
    seed: f64,
    pub exit_status: u8,
    stack_base: usize,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    keybuf: Vec<u8>,
    obuf: Vec<u8>,
    /// The buffer the next record is read into (swapped with the record's).
    spare: Vec<u8>,
    in_end: bool,
}

fn stack_addr() -> usize {
    let x = 0u8;
    std::hint::black_box(&x) as *const u8 as usize
}

fn io_fatal<T>(what: &str, e: &io::Error) -> Res<T> {
    fatal(format!("{what} ({})", strerror(e)))
}

impl<'p, 'c, 'a> Interp<'p, 'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, prog: &'p Program, argv: &[Vec<u8>]) -> Interp<'p, 'c, 'a> {
        let mut globals = Vec::with_capacity(prog.globals.len());
        let mut global_index = HashMap::new();
        for (i, (name, is_array)) in prog.globals.iter().enumerate() {
            globals.push(if *is_array {
                Cell::Arr(Rc::new(RefCell::new(Array::default())))
            } else {
                Cell::Val(Value::Uninit)
            });
            global_index.insert(name.clone(), i as u32);
        }
        let env: Vec<(Vec<u8>, Vec<u8>)> = ctx
            .env
            .vars()
            .into_iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
        let mut it = Interp {
            ctx,
            prog,
            globals,
            global_index,
            frames: Vec::new(),
            fp: 0,
            rec: Record::default(),
            convfmt: Rc::from(&b"%.6g"[..]),
            ofmt: Rc::from(&b"%.6g"[..]),
            subsep: Rc::from(&b"\x1c"[..]),
            ofs: Rc::from(&b" "[..]),
            ors: Rc::from(&b"\n"[..]),
            fs: Splitter::Space,
            rs: RsMode::Byte(b'\n'),
            in_read: false,
            ranges: vec![false; prog.ranges],
            main: MainIn {
                argi: 1,
                ..MainIn::default()
            },
            outputs: Vec::new(),
            inputs: Vec::new(),
            regex_cache: HashMap::new(),
            rand_state: 0,
            seed: 0.0,
            exit_status: 0,
            stack_base: stack_addr(),
            env,
            keybuf: Vec::new(),
            obuf: Vec::new(),
            spare: Vec::new(),
            in_end: false,
        };
        it.srand_with(0.0);
        let set = |it: &mut Interp, slot: u32, v: &[u8]| {
            if let Some(c) = it.globals.get_mut(slot as usize) {
                *c = Cell::Val(Value::Str(Rc::from(v)));
            }
        };
        set(&mut it, FS, b" ");
        set(&mut it, OFS, b" ");
        set(&mut it, ORS, b"\n");
        set(&mut it, RS, b"\n");
        set(&mut it, SUBSEP, b"\x1c");
        set(&mut it, CONVFMT, b"%.6g");
        set(&mut it, OFMT, b"%.6g");
        set(&mut it, FILENAME, b"");
        for slot in [NF, NR, FNR, RSTART, RLENGTH] {
            if let Some(c) = it.globals.get_mut(slot as usize) {
                *c = Cell::Val(Value::Num(0.0));
            }
        }
        if let Some(c) = it.globals.get_mut(RLENGTH as usize) {
            *c = Cell::Val(Value::Num(-1.0));
        }
        if let Some(c) = it.globals.get_mut(ARGC as usize) {
            *c = Cell::Val(Value::Num(argv.len() as f64));
        }
        if let Some(Cell::Arr(a)) = it.globals.get(ARGV as usize) {
            let mut a = a.borrow_mut();
            let mut key = Vec::new();
            for (i, v) in argv.iter().enumerate() {
                key.clear();
                super::value::write_int(i as i64, &mut key);
                a.set(&key, Value::input(v));
            }
        }
        if let Some(Cell::Arr(a)) = it.globals.get(ENVIRON as usize) {
            let mut a = a.borrow_mut();
            for (k, v) in &it.env {
                a.set(k, Value::input(v));
            }
        }
        it
    }

    // ---- variables ----

    fn cell(&mut self, v: Var) -> Option<&mut Cell> {
        match v {
            Var::Global(g) => self.globals.get_mut(g as usize),
            Var::Local(l) => self.frames.get_mut(self.fp + l as usize),
        }
    }

    fn get_var(&mut self, v: Var) -> Res<Value> {
        if v == Var::Global(NF) {
            self.ensure_split();
        }
        match self.cell(v) {
            Some(Cell::Val(x)) => Ok(x.clone()),
            Some(Cell::Arr(_)) => fatal("attempt to use array in a scalar context"),
            None => Ok(Value::Uninit),
        }
    }

    fn var_num(&mut self, v: Var) -> Res<f64> {
        if v == Var::Global(NF) {
            self.ensure_split();
        }
        match self.cell(v) {
            Some(Cell::Val(x)) => Ok(x.to_num()),
            Some(Cell::Arr(_)) => fatal("attempt to use array in a scalar context"),
            None => Ok(0.0),
        }
    }

    fn set_var(&mut self, v: Var, val: Value) -> Res<()> {
        if v == Var::Global(NF) {
            self.ensure_split();
        }
        match self.cell(v) {
            Some(Cell::Val(x)) => *x = val,
            Some(Cell::Arr(_)) => return fatal("attempt to use array in a scalar context"),
            None => return Ok(()),
        }
        if let Var::Global(g) = v
            && g < ENVIRON
        {
            self.special_changed(g)?;
        }
        Ok(())
    }

    fn global_str(&self, g: u32) -> Str {
        match self.globals.get(g as usize) {
            Some(Cell::Val(v)) => v.to_str(&self.convfmt),
            _ => empty(),
        }
    }

    fn special_changed(&mut self, g: u32) -> Res<()> {
        match g {
            NF => {
                let n = match self.globals.get(NF as usize) {
                    Some(Cell::Val(v)) => v.to_num(),
                    _ => 0.0,
                };
                if !(0.0..=MAX_FIELD as f64).contains(&n) {
                    return fatal("NF set to an invalid value");
                }
                self.set_nf(n as usize);
            }
            FS => {
                if !self.in_read {
                    self.ensure_split();
                }
                self.update_fs()?;
            }
            RS => {
                if !self.in_read {
                    self.ensure_split();
                }
                let rs = self.global_str(RS);
                self.rs = match &rs[..] {
                    b"" => RsMode::Para,
                    [c] => RsMode::Byte(*c),
                    _ => RsMode::Regex(self.regex(&rs)?),
                };
                self.update_fs()?;
            }
            OFS => self.ofs = self.global_str(OFS),
            ORS => self.ors = self.global_str(ORS),
            SUBSEP => self.subsep = self.global_str(SUBSEP),
            CONVFMT => self.convfmt = self.global_str(CONVFMT),
            OFMT => self.ofmt = self.global_str(OFMT),
            _ => {}
        }
        Ok(())
    }

    fn update_fs(&mut self) -> Res<()> {
        let fs = self.global_str(FS);
        let para = matches!(self.rs, RsMode::Para);
        self.fs = Splitter::new(&fs, para).map_err(Stop::Fatal)?;
        Ok(())
    }

    fn array(&mut self, v: Var) -> Res<ArrRef> {
        match self.cell(v) {
            Some(Cell::Arr(a)) => Ok(a.clone()),
            Some(c) if matches!(c, Cell::Val(Value::Uninit)) => {
                let a: ArrRef = Rc::new(RefCell::new(Array::default()));
                *c = Cell::Arr(a.clone());
                Ok(a)
            }
            _ => fatal("can't use scalar as array"),
        }
    }

    fn inc_global(&mut self, g: u32) {
        if let Some(Cell::Val(v)) = self.globals.get_mut(g as usize) {
            *v = Value::Num(v.to_num() + 1.0);
        }
    }

    fn set_global_num(&mut self, g: u32, n: f64) {
        if let Some(Cell::Val(v)) = self.globals.get_mut(g as usize) {
            *v = Value::Num(n);
        }
    }

    /// Applies a `name=value` operand or `-v` assignment; false when `arg` is not one.
    pub fn assign_operand(&mut self, arg: &[u8]) -> Res<bool> {
        let Some(eq) = arg.iter().position(|&c| c == b'=') else {
            return Ok(false);
        };
        let (name, val) = (
            arg.get(..eq).unwrap_or_default(),
            arg.get(eq + 1..).unwrap_or_default(),
        );
        if !super::parse::is_identifier(name) {
            return Ok(false);
        }
        let value = Value::input(&process_escapes(val));
        let Some(&g) = self.global_index.get(name) else {
            return Ok(true);
        };
        if matches!(self.globals.get(g as usize), Some(Cell::Arr(_))) {
            return fatal(format!(
                "can't assign to {}; it's an array name.",
                String::from_utf8_lossy(name)
            ));
        }
        self.set_var(Var::Global(g), value)?;
        Ok(true)
    }

    // ---- records and fields ----

    /// Splits the whole record (NF, materializing, assignments need it all).
    fn ensure_split(&mut self) {
        self.ensure_field(usize::MAX);
    }

    /// Splits the record at least up to field `i` (lazily: `$1` on a long line splits
    /// one field).
    fn ensure_field(&mut self, i: usize) {
        if self.rec.split && (self.rec.resume.is_none() || self.rec.spans.len() >= i) {
            return;
        }
        if !self.rec.split {
            self.rec.spans.clear();
            self.rec.resume = Some(0);
            self.rec.split = true;
            self.rec.mat = false;
        }
        let from = self.rec.resume.unwrap_or(0);
        self.rec.resume = self
            .fs
            .split_some(&self.rec.text, from, &mut self.rec.spans, i);
        if self.rec.resume.is_none() {
            self.rec.nf = self.rec.spans.len();
            let nf = self.rec.nf as f64;
            self.set_global_num(NF, nf);
        }
    }

    fn set_record(&mut self, bytes: &[u8]) {
        self.rec.text.clear();
        self.rec.text.extend_from_slice(bytes);
        self.record_changed();
    }

    fn record_changed(&mut self) {
        self.rec.split = false;
        self.rec.mat = false;
        self.rec.val = None;
    }

    fn record_value(&mut self) -> Value {
        if let Some(v) = &self.rec.val {
            return v.clone();
        }
        let v = Value::input(&self.rec.text);
        self.rec.val = Some(v.clone());
        v
    }

    fn materialize(&mut self) {
        self.ensure_split();
        if self.rec.mat {
            return;
        }
        self.rec.fields.clear();
        for &(a, b) in &self.rec.spans {
            self.rec
                .fields
                .push(Value::input(self.rec.text.get(a..b).unwrap_or_default()));
        }
        self.rec.mat = true;
    }

    fn rebuild(&mut self) {
        let mut text = std::mem::take(&mut self.rec.text);
        text.clear();
        for (i, f) in self.rec.fields.iter().enumerate() {
            if i > 0 {
                text.extend_from_slice(&self.ofs);
            }
            f.write_str(&self.convfmt, &mut text);
        }
        self.rec.text = text;
        self.rec.val = None;
        let nf = self.rec.nf as f64;
        self.set_global_num(NF, nf);
    }

    fn set_nf(&mut self, n: usize) {
        self.materialize();
        self.rec.fields.resize(n, Value::Uninit);
        self.rec.nf = n;
        self.rebuild();
    }

    fn get_field(&mut self, i: usize) -> Value {
        if i == 0 {
            return self.record_value();
        }
        self.ensure_field(i);
        if self.rec.mat {
            return self.rec.fields.get(i - 1).cloned().unwrap_or_default();
        }
        match self.rec.spans.get(i - 1) {
            Some(&(a, b)) => Value::input(self.rec.text.get(a..b).unwrap_or_default()),
            None => Value::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: Value) {
        if i == 0 {
            let mut s = Vec::new();
            v.write_str(&self.convfmt, &mut s);
            self.rec.text = s;
            self.record_changed();
            return;
        }
        self.materialize();
        if i > self.rec.nf {
            self.rec.fields.resize(i, Value::Uninit);
            self.rec.nf = i;
        }
        if let Some(f) = self.rec.fields.get_mut(i - 1) {
            *f = v;
        }
        self.rebuild();
    }

    fn field_index(&mut self, e: &Expr) -> Res<usize> {
        let n = match e {
            Expr::Num(n) => *n,
            _ => self.eval_num(e)?,
        };
        if n < 0.0 || n.is_nan() {
            return fatal(format!("trying to access out of range field {}", n as i64));
        }
        if n > MAX_FIELD as f64 {
            return fatal("field index too large");
        }
        Ok(n as usize)
    }

    // ---- regexes ----

    fn regex(&mut self, pat: &[u8]) -> Res<Rc<Regex>> {
        if let Some(r) = self.regex_cache.get(pat) {
            return Ok(r.clone());
        }
        let re = Rc::new(bi::compile(pat).map_err(Stop::Fatal)?);
        if self.regex_cache.len() > 256 {
            self.regex_cache.clear();
        }
        self.regex_cache.insert(pat.to_vec(), re.clone());
        Ok(re)
    }

    fn regex_of(&mut self, e: &Expr) -> Res<Rc<Regex>> {
        if let Expr::Regex(re) = e {
            return Ok(re.clone());
        }
        let s = self.eval_str(e)?;
        self.regex(&s)
    }

    // ---- evaluation ----

    fn check_stack(&self) -> Res<()> {
        if stack_addr().abs_diff(self.stack_base) > STACK_LIMIT {
            return fatal("function call nesting too deep");
        }
        Ok(())
    }

    pub fn eval_str(&mut self, e: &Expr) -> Res<Str> {
        match e {
            Expr::Str(s) => Ok(s.clone()),
            _ => Ok(self.eval(e)?.to_str(&self.convfmt)),
        }
    }

    fn eval_num(&mut self, e: &Expr) -> Res<f64> {
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Var(v) => self.var_num(*v),
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                if i == 0 {
                    return Ok(match &self.rec.val {
                        Some(v) => v.to_num(),
                        None => str_to_num(&self.rec.text),
                    });
                }
                self.ensure_field(i);
                if self.rec.mat {
                    return Ok(self.rec.fields.get(i - 1).map_or(0.0, Value::to_num));
                }
                Ok(match self.rec.spans.get(i - 1) {
                    Some(&(a, b)) => str_to_num(self.rec.text.get(a..b).unwrap_or_default()),
                    None => 0.0,
                })
            }
            Expr::Bin(op, a, b) => {
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                arith(*op, x, y)
            }
            Expr::Paren(e) => self.eval_num(e),
            _ => Ok(self.eval(e)?.to_num()),
        }
    }

    fn eval_bool(&mut self, e: &Expr) -> Res<bool> {
        match e {
            Expr::Regex(re) => Ok(re.is_match(&self.rec.text)),
            Expr::Cmp(..) | Expr::And(..) | Expr::Or(..) | Expr::Not(_) | Expr::Match(..) => {
                Ok(self.eval(e)?.to_num() != 0.0)
            }
            _ => Ok(self.eval(e)?.is_true()),
        }
    }

    /// Writes the subscript `e` (joined with SUBSEP for several) into `buf`.
    fn eval_key(&mut self, e: &Expr, buf: &mut Vec<u8>) -> Res<()> {
        match e {
            Expr::Join(list) => {
                for (i, x) in list.iter().enumerate() {
                    if i > 0 {
                        buf.extend_from_slice(&self.subsep);
                    }
                    self.eval_key(x, buf)?;
                }
            }
            Expr::Str(s) => buf.extend_from_slice(s),
            Expr::Num(n) => fmt_num_into(*n, &self.convfmt, buf),
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                if i > 0 {
                    self.ensure_field(i);
                    if !self.rec.mat {
                        if let Some(&(a, b)) = self.rec.spans.get(i - 1) {
                            buf.extend_from_slice(self.rec.text.get(a..b).unwrap_or_default());
                        }
                        return Ok(());
                    }
                } else {
                    buf.extend_from_slice(&self.rec.text);
                    return Ok(());
                }
                let v = self.get_field(i);
                v.write_str(&self.convfmt, buf);
            }
            _ => {
                let v = self.eval(e)?;
                v.write_str(&self.convfmt, buf);
            }
        }
        Ok(())
    }

    fn key(&mut self, e: &Expr) -> Res<Vec<u8>> {
        let mut buf = std::mem::take(&mut self.keybuf);
        buf.clear();
        let r = self.eval_key(e, &mut buf);
        match r {
            Ok(()) => Ok(buf),
            Err(s) => {
                self.keybuf = buf;
                Err(s)
            }
        }
    }

    fn give_key(&mut self, buf: Vec<u8>) {
        self.keybuf = buf;
    }

    fn place(&mut self, lv: &LValue) -> Res<Place> {
        Ok(match lv {
            LValue::Var(v) => Place::Var(*v),
            LValue::Index(v, sub) => self.place_index(*v, sub)?,
            LValue::Field(e) => Place::Field(self.field_index(e)?),
        })
    }

    fn place_index(&mut self, v: Var, sub: &Expr) -> Res<Place> {
        let a = self.array(v)?;
        let k = self.key(sub)?;
        let key: Str = Rc::from(&k[..]);
        self.give_key(k);
        Ok(Place::Elem(a, key))
    }

    fn load(&mut self, p: &Place) -> Res<Value> {
        match p {
            Place::Var(v) => self.get_var(*v),
            Place::Elem(a, k) => Ok(a.borrow_mut().entry(k).clone()),
            Place::Field(i) => Ok(self.get_field(*i)),
            Place::None => Ok(Value::Uninit),
        }
    }

    fn store(&mut self, p: Place, v: Value) -> Res<()> {
        match p {
            Place::Var(var) => self.set_var(var, v),
            Place::Elem(a, k) => {
                a.borrow_mut().set(&k, v);
                Ok(())
            }
            Place::Field(i) => {
                self.set_field(i, v);
                Ok(())
            }
            Place::None => Ok(()),
        }
    }

    pub fn eval(&mut self, e: &Expr) -> Res<Value> {
        match e {
            Expr::Num(n) => Ok(Value::Num(*n)),
            Expr::Str(s) => Ok(Value::Str(s.clone())),
            Expr::Regex(re) => Ok(num_bool(re.is_match(&self.rec.text))),
            Expr::Var(v) => self.get_var(*v),
            Expr::Field(ie) => {
                let i = self.field_index(ie)?;
                Ok(self.get_field(i))
            }
            Expr::Bin(..) => {
                self.check_stack()?;
                Ok(Value::Num(self.eval_num(e)?))
            }
            Expr::Call(f, args) => self.call(*f, args),
            Expr::Paren(e) => {
                self.check_stack()?;
                self.eval(e)
            }
            Expr::Cond(c, a, b) => {
                self.check_stack()?;
                if self.eval_bool(c)? {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            _ => self.eval_other(e),
        }
    }

    /// The less common expressions, out of line to keep `eval`'s frame small (it is on
    /// the stack once per nesting level of expressions and calls).
    #[inline(never)]
    fn eval_other(&mut self, e: &Expr) -> Res<Value> {
        match e {
            Expr::Index(v, sub) => {
                let a = self.array(*v)?;
                let k = self.key(sub)?;
                let r = a.borrow_mut().entry(&k).clone();
                self.give_key(k);
                Ok(r)
            }
            Expr::Join(_) => {
                let k = self.key(e)?;
                let v = Value::Str(Rc::from(&k[..]));
                self.give_key(k);
                Ok(v)
            }
            Expr::Assign(lv, rhs) => {
                self.check_stack()?;
                let p = self.place(lv)?;
                let v = self.eval(rhs)?;
                self.store(p, v.clone())?;
                Ok(v)
            }
            Expr::AugAssign(op, lv, rhs) => self.eval_aug(*op, lv, rhs),
            Expr::Incr(lv, delta, pre) => self.eval_incr(lv, *delta, *pre),
            Expr::And(a, b) => {
                self.check_stack()?;
                let r = self.eval_bool(a)? && self.eval_bool(b)?;
                Ok(num_bool(r))
            }
            Expr::Or(a, b) => {
                self.check_stack()?;
                let r = self.eval_bool(a)? || self.eval_bool(b)?;
                Ok(num_bool(r))
            }
            Expr::Not(a) => Ok(num_bool(!self.eval_bool(a)?)),
            Expr::Neg(a) => Ok(Value::Num(-self.eval_num(a)?)),
            Expr::Plus(a) => Ok(Value::Num(self.eval_num(a)?)),
            Expr::Cmp(op, a, b) => self.eval_cmp(*op, a, b),
            Expr::Match(neg, a, r) => {
                self.check_stack()?;
                let s = self.eval_str(a)?;
                let re = self.regex_of(r)?;
                Ok(num_bool(re.is_match(&s) != *neg))
            }
            Expr::Concat(..) => {
                self.check_stack()?;
                let mut buf = Vec::new();
                self.concat_into(e, &mut buf)?;
                Ok(Value::Str(Rc::from(buf)))
            }
            Expr::In(sub, arr) => {
                let a = self.array(*arr)?;
                let k = self.key(sub)?;
                let r = a.borrow().contains(&k);
                self.give_key(k);
                Ok(num_bool(r))
            }
            Expr::Builtin(b, args) => {
                self.check_stack()?;
                self.builtin(*b, args)
            }
            Expr::Getline(src, lv) => self.getline(src, lv.as_deref()),
            Expr::Group(list) => {
                // Only valid as print's argument list; elsewhere its values joined.
                let mut buf = Vec::new();
                for (i, x) in list.iter().enumerate() {
                    if i > 0 {
                        buf.extend_from_slice(&self.subsep);
                    }
                    self.eval(x)?.write_str(&self.convfmt, &mut buf);
                }
                Ok(Value::Str(Rc::from(buf)))
            }
            _ => self.eval(e),
        }
    }

    #[inline(never)]
    fn eval_cmp(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> Res<Value> {
        self.check_stack()?;
        let x = self.eval(a)?;
        let y = self.eval(b)?;
        let ord = compare(&x, &y, &self.convfmt);
        use std::cmp::Ordering::*;
        let r = match (op, ord) {
            (CmpOp::Ne, None) => true,
            (_, None) => false,
            (CmpOp::Lt, Some(o)) => o == Less,
            (CmpOp::Le, Some(o)) => o != Greater,
            (CmpOp::Eq, Some(o)) => o == Equal,
            (CmpOp::Ne, Some(o)) => o != Equal,
            (CmpOp::Gt, Some(o)) => o == Greater,
            (CmpOp::Ge, Some(o)) => o != Less,
        };
        Ok(num_bool(r))
    }

    #[inline(never)]
    fn eval_aug(&mut self, op: BinOp, lv: &LValue, rhs: &Expr) -> Res<Value> {
        self.check_stack()?;
        if let LValue::Index(arr, sub) = lv {
            let a = self.array(*arr)?;
            let k = self.key(sub)?;
            let r = match self.eval_num(rhs) {
                Ok(r) => r,
                Err(s) => {
                    self.give_key(k);
                    return Err(s);
                }
            };
            let mut arr = a.borrow_mut();
            let slot = arr.entry(&k);
            let n = match arith(op, slot.to_num(), r) {
                Ok(n) => n,
                Err(s) => {
                    drop(arr);
                    self.give_key(k);
                    return Err(s);
                }
            };
            *slot = Value::Num(n);
            drop(arr);
            self.give_key(k);
            return Ok(Value::Num(n));
        }
        let p = self.place(lv)?;
        let r = self.eval_num(rhs)?;
        let cur = self.load(&p)?.to_num();
        let n = arith(op, cur, r)?;
        self.store(p, Value::Num(n))?;
        Ok(Value::Num(n))
    }

    #[inline(never)]
    fn eval_incr(&mut self, lv: &LValue, delta: f64, pre: bool) -> Res<Value> {
        if let LValue::Index(arr, sub) = lv {
            let a = self.array(*arr)?;
            let k = self.key(sub)?;
            let mut arr = a.borrow_mut();
            let slot = arr.entry(&k);
            let old = slot.to_num();
            *slot = Value::Num(old + delta);
            drop(arr);
            self.give_key(k);
            return Ok(Value::Num(if pre { old + delta } else { old }));
        }
        if let LValue::Var(v) = lv
            && !matches!(v, Var::Global(g) if *g < ENVIRON)
            && let Some(Cell::Val(x)) = self.cell(*v)
        {
            let old = x.to_num();
            *x = Value::Num(old + delta);
            return Ok(Value::Num(if pre { old + delta } else { old }));
        }
        let p = self.place(lv)?;
        let old = self.load(&p)?.to_num();
        self.store(p, Value::Num(old + delta))?;
        Ok(Value::Num(if pre { old + delta } else { old }))
    }

    fn concat_into(&mut self, e: &Expr, buf: &mut Vec<u8>) -> Res<()> {
        match e {
            Expr::Concat(a, b) => {
                self.check_stack()?;
                self.concat_into(a, buf)?;
                self.concat_into(b, buf)
            }
            Expr::Str(s) => {
                buf.extend_from_slice(s);
                Ok(())
            }
            Expr::Field(_) => self.eval_key(e, buf),
            _ => {
                let v = self.eval(e)?;
                v.write_str(&self.convfmt, buf);
                Ok(())
            }
        }
    }

    fn call(&mut self, f: usize, args: &[Expr]) -> Res<Value> {
        self.check_stack()?;
        let prog = self.prog;
        let Some(func) = prog.funcs.get(f) else {
            return fatal("call of an undefined function");
        };
        let mut cells = Vec::with_capacity(func.nparams.max(args.len()));
        for (i, a) in args.iter().enumerate() {
            if func.array_params.get(i).copied().unwrap_or(false) {
                match a {
                    Expr::Var(v) => cells.push(Cell::Arr(self.array(*v)?)),
                    _ => {
                        return fatal(format!(
                            "function {}: argument {} must be an array",
                            String::from_utf8_lossy(&func.name),
                            i + 1
                        ));
                    }
                }
            } else {
                let v = self.eval(a)?;
                cells.push(Cell::Val(v));
            }
        }
        for i in args.len()..func.nparams {
            cells.push(if func.array_params.get(i).copied().unwrap_or(false) {
                Cell::Arr(Rc::new(RefCell::new(Array::default())))
            } else {
                Cell::Val(Value::Uninit)
            });
        }
        let base = self.frames.len();
        let old_fp = self.fp;
        self.frames.extend(cells);
        self.fp = base;
        let r = self.exec_block(&func.body);
        self.frames.truncate(base);
        self.fp = old_fp;
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Uninit),
        }
    }

    #[inline(never)]
    fn builtin(&mut self, b: Builtin, args: &[Expr]) -> Res<Value> {
        let arg = |i: usize| args.get(i);
        Ok(match b {
            Builtin::Length => match arg(0) {
                None => Value::Num(self.rec.text.len() as f64),
                Some(Expr::Field(ie)) => {
                    let i = self.field_index(ie)?;
                    if i == 0 {
                        Value::Num(self.rec.text.len() as f64)
                    } else {
                        self.ensure_field(i);
                        let n = if self.rec.mat {
                            let f = self.rec.fields.get(i - 1).cloned().unwrap_or_default();
                            f.to_str(&self.convfmt).len()
                        } else {
                            self.rec.spans.get(i - 1).map_or(0, |&(a, b)| b - a)
                        };
                        Value::Num(n as f64)
                    }
                }
                Some(Expr::Var(v)) if matches!(self.cell(*v), Some(Cell::Arr(_))) => {
                    let a = self.array(*v)?;
                    let n = a.borrow().len();
                    Value::Num(n as f64)
                }
                Some(e) => Value::Num(self.eval_str(e)?.len() as f64),
            },
            Builtin::Substr => {
                let s = self.eval_str_arg(arg(0))?;
                let m = self.eval_num_arg(arg(1))?;
                let n = match arg(2) {
                    Some(e) => Some(self.eval_num(e)?),
                    None => None,
                };
                Value::from_bytes(bi::substr(&s, m, n))
            }
            Builtin::Index => {
                let s = self.eval_str_arg(arg(0))?;
                let t = self.eval_str_arg(arg(1))?;
                Value::Num(bi::index(&s, &t) as f64)
            }
            Builtin::Split => {
                let s = self.eval_str_arg(arg(0))?;
                let Some(Expr::Var(av)) = arg(1) else {
                    return fatal("split: second argument is not an array");
                };
                let a = self.array(*av)?;
                let sp = match arg(2) {
                    None => self.fs.clone(),
                    // split(s, a, //): every character a field, like "" (gawk, mawk).
                    Some(Expr::Regex(re)) if re.is_empty_pattern() => Splitter::Chars,
                    Some(Expr::Regex(re)) => Splitter::Regex(re.clone()),
                    Some(e) => {
                        let fs = self.eval_str(e)?;
                        if fs.len() > 1 && &fs[..] != b" " {
                            Splitter::Regex(self.regex(&fs)?)
                        } else {
                            Splitter::new(&fs, false).map_err(Stop::Fatal)?
                        }
                    }
                };
                let mut spans = Vec::new();
                sp.split(&s, &mut spans);
                let mut arr = a.borrow_mut();
                arr.clear();
                let mut key = Vec::new();
                for (i, &(x, y)) in spans.iter().enumerate() {
                    key.clear();
                    super::value::write_int(i as i64 + 1, &mut key);
                    arr.set(&key, Value::input(s.get(x..y).unwrap_or_default()));
                }
                Value::Num(spans.len() as f64)
            }
            Builtin::Sub | Builtin::Gsub => {
                let re = match arg(0) {
                    Some(e) => self.regex_of(e)?,
                    None => return fatal("sub: missing regex"),
                };
                let repl = self.eval_str_arg(arg(1))?;
                let p = match arg(2) {
                    None => Place::Field(0),
                    Some(Expr::Var(v)) => Place::Var(*v),
                    Some(Expr::Index(v, s)) => self.place_index(*v, s)?,
                    Some(Expr::Field(e)) => Place::Field(self.field_index(e)?),
                    Some(_) => Place::None,
                };
                let cur = match (&p, arg(2)) {
                    (Place::None, Some(e)) => self.eval_str(e)?,
                    _ => self.load(&p)?.to_str(&self.convfmt),
                };
                let (out, n) = bi::substitute(&re, &repl, &cur, b == Builtin::Gsub);
                if n > 0 {
                    self.store(p, Value::Str(Rc::from(out)))?;
                }
                Value::Num(n as f64)
            }
            Builtin::Match => {
                let s = self.eval_str_arg(arg(0))?;
                let re = match arg(1) {
                    Some(e) => self.regex_of(e)?,
                    None => return fatal("match: missing regex"),
                };
                let (start, len) = match re.find_span_at(&s, 0) {
                    Some((a, b)) => ((a + 1) as f64, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.set_global_num(RSTART, start);
                self.set_global_num(RLENGTH, len);
                Value::Num(start)
            }
            Builtin::Sprintf => {
                let (fmt, vals) = self.format_args(args)?;
                let mut out = Vec::new();
                printf::format(&fmt, &vals, &self.convfmt, &mut out);
                Value::Str(Rc::from(out))
            }
            Builtin::Tolower | Builtin::Toupper => {
                let mut s = self.eval_str_arg(arg(0))?.to_vec();
                if b == Builtin::Tolower {
                    s.make_ascii_lowercase();
                } else {
                    s.make_ascii_uppercase();
                }
                Value::Str(Rc::from(s))
            }
            Builtin::Sin => Value::Num(self.eval_num_arg(arg(0))?.sin()),
            Builtin::Cos => Value::Num(self.eval_num_arg(arg(0))?.cos()),
            Builtin::Atan2 => {
                let y = self.eval_num_arg(arg(0))?;
                let x = self.eval_num_arg(arg(1))?;
                Value::Num(y.atan2(x))
            }
            Builtin::Exp => Value::Num(self.eval_num_arg(arg(0))?.exp()),
            Builtin::Log => Value::Num(self.eval_num_arg(arg(0))?.ln()),
            Builtin::Sqrt => Value::Num(self.eval_num_arg(arg(0))?.sqrt()),
            Builtin::Int => Value::Num(self.eval_num_arg(arg(0))?.trunc()),
            Builtin::Rand => Value::Num(self.rand()),
            Builtin::Srand => {
                // The argument first: in srand(srand()) the inner call sets the seed.
                let s = match arg(0) {
                    Some(e) => self.eval_num(e)?,
                    None => std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0.0, |d| d.as_secs() as f64),
                };
                let prev = self.seed;
                self.srand_with(s);
                Value::Num(prev)
            }
            Builtin::System => {
                let cmd = self.eval_str_arg(arg(0))?;
                self.flush_all()?;
                let argv = [b"sh".to_vec(), b"-c".to_vec(), cmd.to_vec()];
                let st = match self.ctx.spawn.run(&argv, &self.env) {
                    Ok(st) => f64::from(st),
                    Err(_) => -1.0,
                };
                Value::Num(st)
            }
            Builtin::Close => {
                let name = self.eval_str_arg(arg(0))?;
                Value::Num(self.close(&name))
            }
            Builtin::Fflush => match arg(0) {
                None => {
                    self.flush_all()?;
                    Value::Num(0.0)
                }
                Some(e) => {
                    let name = self.eval_str(e)?;
                    if name.is_empty() {
                        self.flush_all()?;
                        Value::Num(0.0)
                    } else {
                        match self.outputs.iter_mut().find(|o| o.name == name) {
                            Some(o) => {
                                let r = o.flush();
                                if matches!(o.kind, OutKind::Stdout) {
                                    let _ = self.ctx.stdout.flush();
                                }
                                Value::Num(if r.is_ok() { 0.0 } else { -1.0 })
                            }
                            None => Value::Num(-1.0),
                        }
                    }
                }
            },
        })
    }

    fn eval_str_arg(&mut self, e: Option<&Expr>) -> Res<Str> {
        match e {
            Some(e) => self.eval_str(e),
            None => Ok(empty()),
        }
    }

    fn eval_num_arg(&mut self, e: Option<&Expr>) -> Res<f64> {
        match e {
            Some(e) => self.eval_num(e),
            None => Ok(0.0),
        }
    }

    fn srand_with(&mut self, s: f64) {
        self.seed = s;
        self.rand_state = (s as i64 as u64) ^ 0x9e37_79b9_7f4a_7c15;
    }

    fn rand(&mut self) -> f64 {
        // splitmix64
        self.rand_state = self.rand_state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rand_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn format_args(&mut self, args: &[Expr]) -> Res<(Str, Vec<Value>)> {
        let fmt = match args.first() {
            Some(e) => self.eval_str(e)?,
            None => empty(),
        };
        let mut vals = Vec::with_capacity(args.len());
        for a in args.get(1..).unwrap_or_default() {
            vals.push(self.eval(a)?);
        }
        Ok((fmt, vals))
    }

    // ---- statements ----

    fn exec_block(&mut self, list: &[Stmt]) -> Res<Flow> {
        for s in list {
            match self.exec(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &Stmt) -> Res<Flow> {
        match s {
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Print(..) | Stmt::Printf(..) | Stmt::Delete(..) => self.exec_simple(s)?,
            Stmt::If(c, a, b) => {
                if self.eval_bool(c)? {
                    return self.exec(a);
                } else if let Some(b) = b {
                    return self.exec(b);
                }
            }
            Stmt::While(c, body) => {
                while self.eval_bool(c)? {
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                match self.exec(body)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
                if !self.eval_bool(c)? {
                    break;
                }
            },
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = cond
                        && !self.eval_bool(c)?
                    {
                        break;
                    }
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if let Some(s) = step {
                        self.eval(s)?;
                    }
                }
            }
            Stmt::ForIn(lv, arr, body) => {
                let a = self.array(*arr)?;
                let keys = a.borrow().keys();
                for k in keys {
                    if !a.borrow().contains(&k) {
                        continue;
                    }
                    let p = self.place(lv)?;
                    self.store(p, Value::Str(k))?;
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            Stmt::Block(list) => return self.exec_block(list),
            Stmt::Next => {
                if self.in_end {
                    return fatal("next used in BEGIN or END action");
                }
                return Err(Stop::Next);
            }
            Stmt::NextFile => {
                if self.in_end {
                    return fatal("nextfile used in BEGIN or END action");
                }
                return Err(Stop::NextFile);
            }
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    let n = self.eval_num(e)?;
                    self.exit_status = if n.is_finite() {
                        (n as i64 & 0xff) as u8
                    } else {
                        0
                    };
                }
                return Err(Stop::Exit);
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Nop => {}
        }
        Ok(Flow::Normal)
    }

    /// print, printf and delete, out of line to keep `exec`'s frame small.
    #[inline(never)]
    fn exec_simple(&mut self, s: &Stmt) -> Res<()> {
        match s {
            Stmt::Print(args, redir) => {
                let mut out = std::mem::take(&mut self.obuf);
                out.clear();
                let r = self.print_line(args, &mut out);
                let r = r.and_then(|()| self.emit(redir.as_ref(), &out));
                self.obuf = out;
                r
            }
            Stmt::Printf(args, redir) => {
                let (fmt, vals) = self.format_args(args)?;
                let mut out = std::mem::take(&mut self.obuf);
                out.clear();
                printf::format(&fmt, &vals, &self.convfmt, &mut out);
                let r = self.emit(redir.as_ref(), &out);
                self.obuf = out;
                r
            }
            Stmt::Delete(arr, sub) => {
                let a = self.array(*arr)?;
                match sub {
                    Some(s) => {
                        let k = self.key(s)?;
                        a.borrow_mut().remove(&k);
                        self.give_key(k);
                    }
                    None => a.borrow_mut().clear(),
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn print_line(&mut self, args: &[Expr], out: &mut Vec<u8>) -> Res<()> {
        if args.is_empty() {
            out.extend_from_slice(&self.rec.text);
        }
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(&self.ofs);
            }
            match a {
                Expr::Field(_) | Expr::Str(_) => self.eval_key(a, out)?,
                _ => match self.eval(a)? {
                    Value::Num(n) => fmt_num_into(n, &self.ofmt, out),
                    v => v.write_str(&self.convfmt, out),
                },
            }
        }
        out.extend_from_slice(&self.ors);
        Ok(())
    }

    /// Writes `data` to standard output or a redirection.
    fn emit(&mut self, redir: Option<&(Redir, Expr)>, data: &[u8]) -> Res<()> {
        let Some((kind, target)) = redir else {
            return self
                .ctx
                .stdout
                .write_all(data)
                .or_else(|e| io_fatal("write failure", &e));
        };
        let name = self.eval_str(target)?;
        let idx = match self.outputs.iter().position(|o| o.name == name) {
            Some(i) => i,
            None => self.open_output(&name, *kind)?,
        };
        let Some(o) = self.outputs.get_mut(idx) else {
            return Ok(());
        };
        match &o.kind {
            OutKind::Stdout => self
                .ctx
                .stdout
                .write_all(data)
                .or_else(|e| io_fatal("write failure", &e)),
            OutKind::Stderr => {
                let r = self.ctx.stderr.write_all(data);
                let _ = self.ctx.stderr.flush();
                r.or_else(|e| io_fatal("write failure", &e))
            }
            _ => {
                o.buf.extend_from_slice(data);
                if o.buf.len() >= 64 * 1024 {
                    let r = o.flush();
                    if let Err(e) = r {
                        let what =
                            format!("write failure on \"{}\"", String::from_utf8_lossy(&name));
                        return io_fatal(&what, &e);
                    }
                }
                Ok(())
            }
        }
    }

    fn open_output(&mut self, name: &Str, kind: Redir) -> Res<usize> {
        let out_kind = match (&name[..], kind) {
            (b"/dev/stdout" | b"-", Redir::File | Redir::Append) => OutKind::Stdout,
            (b"/dev/stderr", Redir::File | Redir::Append) => OutKind::Stderr,
            (_, Redir::Pipe) => {
                self.flush_all()?;
                let argv = [b"sh".to_vec(), b"-c".to_vec(), name.to_vec()];
                match self.ctx.spawn.pipe(&argv, &self.env, PipeDir::ToChild) {
                    Ok(child) => OutKind::Pipe(child),
                    Err(e) => {
                        let what =
                            format!("cannot open pipe \"{}\"", String::from_utf8_lossy(name));
                        return io_fatal(&what, &e);
                    }
                }
            }
            (_, _) => {
                use std::os::unix::ffi::OsStrExt;
                let path = std::ffi::OsStr::from_bytes(name);
                let r = if kind == Redir::Append {
                    OpenOptions::new().append(true).create(true).open(path)
                } else {
                    File::create(path)
                };
                match r {
                    Ok(f) => OutKind::File(f),
                    Err(e) => {
                        let what =
                            format!("cannot redirect to \"{}\"", String::from_utf8_lossy(name));
                        return io_fatal(&what, &e);
                    }
                }
            }
        };
        self.outputs.push(OutStream {
            name: name.clone(),
            kind: out_kind,
            buf: Vec::new(),
        });
        Ok(self.outputs.len() - 1)
    }

    /// Flushes standard output and every redirection (before running a command).
    fn flush_all(&mut self) -> Res<()> {
        if let Err(e) = self.ctx.stdout.flush() {
            return io_fatal("write failure", &e);
        }
        for o in &mut self.outputs {
            let _ = o.flush();
        }
        Ok(())
    }

    /// close(name): the command's exit status for pipes, 0 for files, -1 if not open.
    fn close(&mut self, name: &[u8]) -> f64 {
        let mut result = -1.0;
        if let Some(i) = self.outputs.iter().position(|o| &o.name[..] == name) {
            let mut o = self.outputs.remove(i);
            let flushed = o.flush();
            result = match o.kind {
                OutKind::Pipe(child) => child.wait().map_or(-1.0, f64::from),
                OutKind::Stdout => {
                    let _ = self.ctx.stdout.flush();
                    0.0
                }
                _ => {
                    if flushed.is_ok() {
                        0.0
                    } else {
                        -1.0
                    }
                }
            };
        }
        if let Some(i) = self.inputs.iter().position(|s| &s.name[..] == name) {
            let s = self.inputs.remove(i);
            result = match s.src {
                InSrc::Pipe(child) => child.wait().map_or(-1.0, f64::from),
                _ => 0.0,
            };
        }
        result
    }

    /// Closes everything at the end: files flushed, pipes closed first (all of them, so
    /// no child waits on another's pipe), the commands waited for, then standard output
    /// flushed (mawk's order: a pipe's output comes before what END printed).
    pub fn close_all(&mut self) {
        let mut children = Vec::new();
        for mut o in std::mem::take(&mut self.outputs) {
            let _ = o.flush();
            if let OutKind::Pipe(c) = o.kind {
                children.push(c);
            }
        }
        for s in std::mem::take(&mut self.inputs) {
            if let InSrc::Pipe(c) = s.src {
                children.push(c);
            }
        }
        let mut pids = Vec::new();
        for c in children {
            let crate::ctx::PipedChild { fd, pid } = c;
            drop(fd);
            pids.push(pid);
        }
        for pid in pids {
            wait_pid(pid);
        }
        let _ = self.ctx.stdout.flush();
    }

    // ---- input ----

    fn open_next_main(&mut self) -> Res<bool> {
        loop {
            let argc = match self.globals.get(ARGC as usize) {
                Some(Cell::Val(v)) => v.to_num(),
                _ => 0.0,
            };
            if self.main.argi as f64 >= argc {
                if !self.main.opened_any {
                    self.main.opened_any = true;
                    self.main.src = Some(InSrc::Stdin);
                    self.main.reader = RecReader::new();
                    return Ok(true);
                }
                return Ok(false);
            }
            let i = self.main.argi;
            self.main.argi += 1;
            let arg = match self.globals.get(ARGV as usize) {
                Some(Cell::Arr(a)) => {
                    let mut key = Vec::new();
                    super::value::write_int(i as i64, &mut key);
                    a.borrow().get(&key).map(|v| v.to_str(&self.convfmt))
                }
                _ => None,
            };
            let Some(arg) = arg else { continue };
            if arg.is_empty() {
                continue;
            }
            if self.assign_operand(&arg)? {
                continue;
            }
            self.main.opened_any = true;
            let src = if &arg[..] == b"-" || &arg[..] == b"/dev/stdin" {
                InSrc::Stdin
            } else {
                match crate::common::lines::open(&arg) {
                    Ok(f) => InSrc::File(f),
                    Err(e) => {
                        return fatal(format!(
                            "cannot open \"{}\" ({})",
                            String::from_utf8_lossy(&arg),
                            strerror(&e)
                        ));
                    }
                }
            };
            if let Some(c) = self.globals.get_mut(FILENAME as usize) {
                *c = Cell::Val(Value::input_rc(arg.clone()));
            }
            self.set_global_num(FNR, 0.0);
            self.main.src = Some(src);
            self.main.reader = RecReader::new();
            return Ok(true);
        }
    }

    /// The next main-input record into `out`, counting NR and FNR.
    fn read_main(&mut self, out: &mut Vec<u8>) -> Res<bool> {
        loop {
            if self.main.done {
                return Ok(false);
            }
            if self.main.src.is_none() {
                self.in_read = true;
                let r = self.open_next_main();
                self.in_read = false;
                if !r? {
                    self.main.done = true;
                    return Ok(false);
                }
            }
            let got = {
                let Interp { main, ctx, rs, .. } = self;
                match &mut main.src {
                    Some(InSrc::Stdin) => main.reader.read(&mut ctx.stdin, rs, out),
                    Some(InSrc::File(f)) => main.reader.read(f, rs, out),
                    Some(InSrc::Pipe(p)) => main.reader.read(&mut FdReader(&p.fd), rs, out),
                    None => Ok(false),
                }
            };
            match got {
                Ok(true) => {
                    self.inc_global(NR);
                    self.inc_global(FNR);
                    return Ok(true);
                }
                Ok(false) => self.main.src = None,
                Err(e) => {
                    let name = self.global_str(FILENAME);
                    return fatal(format!(
                        "read error on \"{}\" ({})",
                        String::from_utf8_lossy(&name),
                        strerror(&e)
                    ));
                }
            }
        }
    }

    /// Reads the next main record into $0; false at the end of input (then $0 keeps
    /// the last record, for END).
    fn next_record(&mut self) -> Res<bool> {
        let mut buf = std::mem::take(&mut self.spare);
        let r = self.read_main(&mut buf);
        if let Ok(true) = r {
            std::mem::swap(&mut self.rec.text, &mut buf);
            self.record_changed();
        }
        self.spare = buf;
        r
    }

    fn skip_file(&mut self) {
        self.main.src = None;
    }

    #[inline(never)]
    fn getline(&mut self, src: &GetSrc, lv: Option<&LValue>) -> Res<Value> {
        match src {
            GetSrc::Main => {
                if lv.is_none() {
                    let got = self.next_record()?;
                    return Ok(num_bool(got));
                }
                let mut buf = Vec::new();
                if !self.read_main(&mut buf)? {
                    return Ok(Value::Num(0.0));
                }
                self.store_getline(lv, &buf)?;
                Ok(Value::Num(1.0))
            }
            GetSrc::File(e) | GetSrc::Cmd(e) => {
                let is_cmd = matches!(src, GetSrc::Cmd(_));
                let name = self.eval_str(e)?;
                let idx = match self.inputs.iter().position(|s| s.name == name) {
                    Some(i) => i,
                    None => match self.open_input(&name, is_cmd)? {
                        Some(i) => i,
                        None => return Ok(Value::Num(-1.0)),
                    },
                };
                let mut buf = Vec::new();
                let got = {
                    let Interp {
                        inputs, ctx, rs, ..
                    } = self;
                    let Some(s) = inputs.get_mut(idx) else {
                        return Ok(Value::Num(-1.0));
                    };
                    match &mut s.src {
                        InSrc::Stdin => s.reader.read(&mut ctx.stdin, rs, &mut buf),
                        InSrc::File(f) => s.reader.read(f, rs, &mut buf),
                        InSrc::Pipe(p) => s.reader.read(&mut FdReader(&p.fd), rs, &mut buf),
                    }
                };
                match got {
                    Ok(true) => {}
                    Ok(false) => return Ok(Value::Num(0.0)),
                    Err(_) => return Ok(Value::Num(-1.0)),
                }
                if is_cmd {
                    self.inc_global(NR);
                }
                match lv {
                    None => {
                        self.rec.text = buf;
                        self.record_changed();
                    }
                    Some(_) => self.store_getline(lv, &buf)?,
                }
                Ok(Value::Num(1.0))
            }
        }
    }

    fn store_getline(&mut self, lv: Option<&LValue>, buf: &[u8]) -> Res<()> {
        match lv {
            Some(lv) => {
                let p = self.place(lv)?;
                self.store(p, Value::input(buf))
            }
            None => {
                self.set_record(buf);
                Ok(())
            }
        }
    }

    fn open_input(&mut self, name: &Str, is_cmd: bool) -> Res<Option<usize>> {
        let src = if is_cmd {
            self.flush_all()?;
            let argv = [b"sh".to_vec(), b"-c".to_vec(), name.to_vec()];
            match self.ctx.spawn.pipe(&argv, &self.env, PipeDir::FromChild) {
                Ok(c) => InSrc::Pipe(c),
                Err(_) => return Ok(None),
            }
        } else if &name[..] == b"-" || &name[..] == b"/dev/stdin" {
            InSrc::Stdin
        } else {
            match crate::common::lines::open(name) {
                Ok(f) => InSrc::File(f),
                Err(_) => return Ok(None),
            }
        };
        self.inputs.push(InStream {
            name: name.clone(),
            src,
            reader: RecReader::new(),
        });
        Ok(Some(self.inputs.len() - 1))
    }

    // ---- the program ----

    fn run_action(&mut self, action: &[Stmt]) -> Res<()> {
        self.exec_block(action)?;
        Ok(())
    }

    fn run_pattern(&mut self, item: &Item, idx: usize) -> Res<bool> {
        Ok(match &item.pattern {
            Pattern::All => true,
            Pattern::Expr(e) => self.eval_bool(e)?,
            Pattern::Range(a, b, r) => {
                let _ = idx;
                let active = self.ranges.get(*r).copied().unwrap_or(false);
                if active {
                    if self.eval_bool(b)? {
                        self.set_range(*r, false);
                    }
                    true
                } else if self.eval_bool(a)? {
                    if !self.eval_bool(b)? {
                        self.set_range(*r, true);
                    }
                    true
                } else {
                    false
                }
            }
            Pattern::Begin | Pattern::End => false,
        })
    }

    fn set_range(&mut self, r: usize, v: bool) {
        if let Some(x) = self.ranges.get_mut(r) {
            *x = v;
        }
    }

    fn record_items(&mut self) -> Res<()> {
        let prog = self.prog;
        for (i, item) in prog.items.iter().enumerate() {
            if matches!(item.pattern, Pattern::Begin | Pattern::End) {
                continue;
            }
            if self.run_pattern(item, i)? {
                match &item.action {
                    Some(a) => self.run_action(a)?,
                    None => {
                        let mut out = std::mem::take(&mut self.obuf);
                        out.clear();
                        out.extend_from_slice(&self.rec.text);
                        out.extend_from_slice(&self.ors);
                        let r = self.emit(None, &out);
                        self.obuf = out;
                        r?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs BEGIN, the records, END. Returns a fatal error message, if any.
    pub fn run(&mut self) -> Result<(), String> {
        let prog = self.prog;
        let mut exited = false;
        for item in &prog.items {
            if let (Pattern::Begin, Some(a)) = (&item.pattern, &item.action) {
                match self.run_action(a) {
                    Ok(()) => {}
                    Err(Stop::Exit) => {
                        exited = true;
                        break;
                    }
                    Err(Stop::Fatal(m)) => return Err(m),
                    Err(Stop::Next | Stop::NextFile) => {
                        return Err("next used in BEGIN or END action".into());
                    }
                }
            }
        }
        if !exited && prog.needs_input {
            loop {
                if self.ctx.interrupted() {
                    return Err("interrupted".into());
                }
                match self.next_record() {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(Stop::Fatal(m)) => return Err(m),
                    Err(_) => break,
                }
                match self.record_items() {
                    Ok(()) | Err(Stop::Next) => {}
                    Err(Stop::NextFile) => self.skip_file(),
                    Err(Stop::Exit) => break,
                    Err(Stop::Fatal(m)) => return Err(m),
                }
            }
        }
        self.in_end = true;
        let ends_after_exit = true;
        if ends_after_exit {
            for item in &prog.items {
                if let (Pattern::End, Some(a)) = (&item.pattern, &item.action) {
                    match self.run_action(a) {
                        Ok(()) => {}
                        Err(Stop::Exit) => break,
                        Err(Stop::Fatal(m)) => return Err(m),
                        Err(_) => return Err("next used in BEGIN or END action".into()),
                    }
                }
            }
        }
        Ok(())
    }
}

/// Waits for a child whose pipe is already closed.
fn wait_pid(pid: i32) {
    use nix::sys::wait::{WaitStatus, waitpid};
    loop {
        match waitpid(nix::unistd::Pid::from_raw(pid), None) {
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) | Err(_) => return,
            Ok(_) => continue,
        }
    }
}

fn num_bool(b: bool) -> Value {
    Value::Num(if b { 1.0 } else { 0.0 })
}

fn arith(op: BinOp, x: f64, y: f64) -> Res<f64> {
    Ok(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return fatal("division by zero");
            }
            x / y
        }
        BinOp::Mod => {
            if y == 0.0 {
                return fatal("division by zero in %");
            }
            x % y
        }
        BinOp::Pow => pow(x, y),
    })
}

/// x^y; integer exponents by repeated multiplication (exact for integers).
fn pow(x: f64, y: f64) -> f64 {
    if y == y.trunc() && y.abs() <= 1024.0 {
        let mut n = y.abs() as u32;
        let mut base = x;
        let mut r = 1.0;
        while n > 0 {
            if n & 1 == 1 {
                r *= base;
            }
            base *= base;
            n >>= 1;
        }
        if y < 0.0 { 1.0 / r } else { r }
    } else {
        x.powf(y)
    }
}

/// Escape sequences in -v and operand assignments, as in string literals.
pub fn process_escapes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c == b'\\' {
            let rest = s.get(i + 1..).unwrap_or_default();
            match escape(rest) {
                (Some(b), used) => {
                    out.push(b);
                    i += 1 + used;
                }
                (None, _) => {
                    out.push(b'\\');
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}
