//! REST: login, the session file, and the typed API client (IO shell over reqwest).

pub mod credentials;
pub mod error;
pub mod retry;
pub mod session;

pub use credentials::{Credentials, CredentialsError, obtain_credentials};
pub use error::ApiError;
pub use retry::RetryPolicy;
pub use session::{Session, SessionFileError};
