//! The POSIX shell command language: lexer, grammar, AST and pretty-printer.
