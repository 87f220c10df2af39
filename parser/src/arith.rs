//! `$((...))` arithmetic: parser, AST and evaluator.
