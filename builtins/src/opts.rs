//! The one option layer, on `lexopt`: clusters (`-abc`), attached and separate values
//! (`-n5`, `-n 5`, `--name=v`, `--name v`), `--`, `-` as an operand, long options an
//! applet declares (unique prefixes expanded, as getopt_long does), and getopt-style
//! messages for mistakes. Options and operands may be intermixed, as with GNU getopt;
//! spawners take the rest raw with [`Opts::rest`] at their first operand.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::error::Error;

/// One parsed command-line item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A short option, `-x` (also each letter of a cluster, and digits of `-5`).
    Short(char),
    /// A long option, by its full declared name (without the dashes).
    Long(&'static str),
    /// An operand.
    Value(Vec<u8>),
}

/// An option parser over an applet's arguments.
pub struct Opts {
    parser: lexopt::Parser,
    longs: &'static [&'static str],
    last: Option<Arg>,
}

impl Opts {
    /// A parser over `args` accepting the long options `longs`.
    pub fn new(args: &[Vec<u8>], longs: &'static [&'static str]) -> Opts {
        let os: Vec<OsString> = args.iter().map(|a| OsString::from_vec(a.clone())).collect();
        Opts {
            parser: lexopt::Parser::from_args(os),
            longs,
            last: None,
        }
    }

    /// The next option or operand, or `None` at the end.
    #[allow(clippy::should_implement_trait)] // fallible, so not an Iterator
    pub fn next(&mut self) -> Result<Option<Arg>, Error> {
        let arg = match self.parser.next()? {
            None => return Ok(None),
            Some(lexopt::Arg::Short(c)) => Arg::Short(c),
            Some(lexopt::Arg::Long(name)) => {
                let name = name.to_string();
                Arg::Long(self.resolve_long(&name)?)
            }
            Some(lexopt::Arg::Value(v)) => Arg::Value(v.into_vec()),
        };
        self.last = Some(arg.clone());
        Ok(Some(arg))
    }

    /// The value of the option just returned (`-n5`, `-n 5`, `--name=v`, `--name v`).
    pub fn value(&mut self) -> Result<Vec<u8>, Error> {
        Ok(self.parser.value()?.into_vec())
    }

    /// The value of the option just returned if it is attached (`-n5`, `--name=v`).
    pub fn optional_value(&mut self) -> Option<Vec<u8>> {
        self.parser.optional_value().map(OsStringExt::into_vec)
    }

    /// Every argument not parsed yet, untouched: for spawners (`xargs CMD -v`) once they
    /// see their first operand, and for applets that take options only up front.
    pub fn rest(&mut self) -> Vec<Vec<u8>> {
        match self.parser.raw_args() {
            Ok(raw) => raw.map(|a| a.as_bytes().to_vec()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The usage error for an option the applet does not accept.
    pub fn unexpected(&self, arg: &Arg) -> Error {
        match arg {
            Arg::Short(c) => Error::usage(format!("invalid option -- '{c}'")),
            Arg::Long(name) => Error::usage(format!("unrecognized option '--{name}'")),
            Arg::Value(v) => {
                Error::usage(format!("extra operand '{}'", String::from_utf8_lossy(v)))
            }
        }
    }

    /// The usage error for the item [`Opts::next`] returned last.
    pub fn unexpected_last(&self) -> Error {
        match &self.last {
            Some(arg) => self.unexpected(arg),
            None => Error::usage("invalid option"),
        }
    }

    fn resolve_long(&self, typed: &str) -> Result<&'static str, Error> {
        let name = typed.trim_start_matches('-');
        if let Some(exact) = self.longs.iter().find(|l| **l == name) {
            return Ok(exact);
        }
        let candidates: Vec<&'static str> = self
            .longs
            .iter()
            .copied()
            .filter(|l| l.starts_with(name))
            .collect();
        match candidates.as_slice() {
            [one] if !name.is_empty() => Ok(one),
            [] | [_] => Err(Error::usage(format!("unrecognized option '--{name}'"))),
            many => {
                let list: Vec<String> = many.iter().map(|c| format!("'--{c}'")).collect();
                Err(Error::usage(format!(
                    "option '--{name}' is ambiguous; possibilities: {}",
                    list.join(" ")
                )))
            }
        }
    }
}

/// A lexopt error in glibc getopt's words.
pub fn describe_error(err: &lexopt::Error) -> String {
    use lexopt::Error as E;
    match err {
        E::MissingValue { option: Some(opt) } => match opt.strip_prefix("--") {
            Some(long) => format!("option '--{long}' requires an argument"),
            None => format!(
                "option requires an argument -- '{}'",
                opt.trim_start_matches('-')
            ),
        },
        E::MissingValue { option: None } => "missing argument".to_string(),
        E::UnexpectedOption(opt) => match opt.strip_prefix("--") {
            Some(long) => format!("unrecognized option '--{long}'"),
            None => format!("invalid option -- '{}'", opt.trim_start_matches('-')),
        },
        E::UnexpectedArgument(v) => format!("extra operand '{}'", v.to_string_lossy()),
        E::UnexpectedValue { option, .. } => format!("option '{option}' doesn't allow an argument"),
        E::ParsingFailed { value, error } => format!("invalid argument '{value}': {error}"),
        E::NonUnicodeValue(v) => format!("invalid argument '{}'", v.to_string_lossy()),
        E::Custom(e) => e.to_string(),
    }
}

/// Parses a decimal number option value, with a getopt-style message on failure.
pub fn parse_number<T: std::str::FromStr>(value: &[u8], what: &str) -> Result<T, Error> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| {
            Error::msg(format!(
                "invalid {what}: '{}'",
                String::from_utf8_lossy(value)
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn collect(list: &[&str], longs: &'static [&'static str]) -> Result<Vec<Arg>, String> {
        let a = args(list);
        let mut o = Opts::new(&a, longs);
        let mut out = Vec::new();
        loop {
            match o.next() {
                Ok(Some(arg)) => out.push(arg),
                Ok(None) => return Ok(out),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn clusters_split_into_shorts() {
        assert_eq!(
            collect(&["-abc", "f"], &[]).unwrap(),
            vec![
                Arg::Short('a'),
                Arg::Short('b'),
                Arg::Short('c'),
                Arg::Value(b"f".to_vec())
            ]
        );
    }

    #[test]
    fn double_dash_ends_options() {
        assert_eq!(
            collect(&["-a", "--", "-b", "-"], &[]).unwrap(),
            vec![
                Arg::Short('a'),
                Arg::Value(b"-b".to_vec()),
                Arg::Value(b"-".to_vec())
            ]
        );
    }

    #[test]
    fn attached_and_separate_values() {
        let a = args(&["-n5", "-n", "7", "--lines=9", "--lines", "11"]);
        let mut o = Opts::new(&a, &["lines"]);
        let mut got = Vec::new();
        while let Some(arg) = o.next().unwrap() {
            assert!(matches!(arg, Arg::Short('n') | Arg::Long("lines")));
            got.push(String::from_utf8(o.value().unwrap()).unwrap());
        }
        assert_eq!(got, ["5", "7", "9", "11"]);
    }

    #[test]
    fn long_prefixes_expand_when_unique() {
        assert_eq!(
            collect(&["--ver"], &["verbose", "version"]),
            Err("option '--ver' is ambiguous; possibilities: '--verbose' '--version'".into())
        );
        assert_eq!(
            collect(&["--verbo"], &["verbose", "version"]).unwrap(),
            vec![Arg::Long("verbose")]
        );
        assert_eq!(
            collect(&["--nope"], &["verbose"]),
            Err("unrecognized option '--nope'".into())
        );
    }

    #[test]
    fn missing_value_reads_like_getopt() {
        let a = args(&["-n"]);
        let mut o = Opts::new(&a, &[]);
        assert_eq!(o.next().unwrap(), Some(Arg::Short('n')));
        assert_eq!(
            o.value().unwrap_err().to_string(),
            "option requires an argument -- 'n'"
        );
        let a = args(&["--lines"]);
        let mut o = Opts::new(&a, &["lines"]);
        assert_eq!(o.next().unwrap(), Some(Arg::Long("lines")));
        assert_eq!(
            o.value().unwrap_err().to_string(),
            "option '--lines' requires an argument"
        );
    }

    #[test]
    fn unexpected_value_on_a_flag() {
        let a = args(&["--all=yes"]);
        let mut o = Opts::new(&a, &["all"]);
        assert_eq!(o.next().unwrap(), Some(Arg::Long("all")));
        assert_eq!(
            o.next().unwrap_err().to_string(),
            "option '--all' doesn't allow an argument"
        );
    }

    #[test]
    fn unexpected_messages() {
        let o = Opts::new(&[], &[]);
        assert_eq!(
            o.unexpected(&Arg::Short('z')).to_string(),
            "invalid option -- 'z'"
        );
        assert_eq!(
            o.unexpected(&Arg::Long("x")).to_string(),
            "unrecognized option '--x'"
        );
        assert!(o.unexpected(&Arg::Short('z')).show_usage);
    }

    #[test]
    fn rest_is_raw_after_first_operand() {
        let a = args(&["-t", "grep", "-v", "x"]);
        let mut o = Opts::new(&a, &[]);
        assert_eq!(o.next().unwrap(), Some(Arg::Short('t')));
        assert_eq!(o.next().unwrap(), Some(Arg::Value(b"grep".to_vec())));
        assert_eq!(o.rest(), args(&["-v", "x"]));
    }

    #[test]
    fn digits_come_as_shorts() {
        assert_eq!(
            collect(&["-15"], &[]).unwrap(),
            vec![Arg::Short('1'), Arg::Short('5')]
        );
    }

    #[test]
    fn non_utf8_operands_survive() {
        let a = vec![vec![b'f', 0xff]];
        let mut o = Opts::new(&a, &[]);
        assert_eq!(o.next().unwrap(), Some(Arg::Value(vec![b'f', 0xff])));
    }

    #[test]
    fn parse_number_reports_the_value() {
        assert_eq!(parse_number::<u64>(b"12", "count").unwrap(), 12);
        assert_eq!(
            parse_number::<u64>(b"x", "count").unwrap_err().to_string(),
            "invalid count: 'x'"
        );
    }
}
