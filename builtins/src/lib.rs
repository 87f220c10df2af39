//! rbox-builtins: every applet and the shared helpers they use.
