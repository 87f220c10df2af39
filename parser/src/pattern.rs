//! POSIX pattern matching over bytes with a quoted bit per byte.
