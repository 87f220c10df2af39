//! POSIX basic and extended regular expressions.
