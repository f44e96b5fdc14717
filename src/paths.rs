//! Where gilt keeps its files, following the XDG variables.
