//! Store tests: real SQLite files in temporary directories.
