//! REST: login, the session file, and the typed API client (IO shell over reqwest).
//!
//! Flow for `main.rs`: [`auth::resume`] a saved session, else [`obtain_credentials`] (before
//! the TUI starts) → [`auth::login`] → [`SessionCookies::save`] → [`ApiClient::new`]. Every call's
//! error is an [`ApiError`]; `ApiError::Unauthorized` means "log in again".

pub mod auth;
mod calls;
pub mod client;
pub mod credentials;
pub mod error;
pub mod retry;
pub mod session;

pub use auth::{
    LogoutOutcome, ResumeError, SignInError, SignedIn, login, logout, logout_saved, resume, sign_in,
};
pub use calls::{MessageQuery, NewMessage};
pub use client::ApiClient;
pub use credentials::{Credentials, CredentialsError, obtain_credentials};
pub use error::ApiError;
pub use retry::RetryPolicy;
pub use session::{SessionCookies, SessionFileError};
