//! REST: login, the session file, and the typed API client (IO shell over reqwest).
