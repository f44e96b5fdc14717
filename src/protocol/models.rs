//! TODO: see issue 3.
