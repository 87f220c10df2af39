//! rbox-shell: the interpreter, interactive front end and multi-call dispatch.
