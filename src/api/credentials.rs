//! Where the email and password come from, before the TUI starts: `GILT_EMAIL` /
//! `GILT_PASSWORD`, the config (`email`, `password_command` run through `sh -c`), or a prompt
//! on the terminal (the password without echo).
//!
//! Rule: the password only ever lives in a `SecretString` (zeroed on drop, redacted in
//! `Debug`); it is never logged and never written anywhere.

use std::io::{IsTerminal, Read, Write};
use std::process::{Command, Stdio};

use secrecy::{SecretString, zeroize::Zeroizing};

use crate::config::Config;

/// Environment variable that supplies the email.
pub const EMAIL_ENV: &str = "GILT_EMAIL";
/// Environment variable that supplies the password.
pub const PASSWORD_ENV: &str = "GILT_PASSWORD";

/// What to log in with. Drop it right after the login.
#[derive(Debug)]
pub struct Credentials {
    pub email: String,
    pub password: SecretString,
}

/// Why no credentials could be had.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error(
        "no terminal to ask for the {0}: set GILT_EMAIL and GILT_PASSWORD, or `email` and `password_command` in the config"
    )]
    NoTerminal(&'static str),
    #[error("login cancelled")]
    Cancelled,
    #[error("the {0} is empty")]
    Empty(&'static str),
    #[error("password_command `{command}` failed: {reason}")]
    Command { command: String, reason: String },
    #[error("cannot read from the terminal: {0}")]
    Io(#[from] std::io::Error),
}

/// Asks the user; the real one talks to the terminal, tests script it.
pub trait Prompt {
    /// Ask for a line that may be shown (the email).
    fn ask(&mut self, label: &str) -> Result<String, CredentialsError>;
    /// Ask for a secret without echoing it (the password).
    fn ask_secret(&mut self, label: &str) -> Result<SecretString, CredentialsError>;
}

/// Gather credentials: email from `GILT_EMAIL`, else `config.email`, else the prompt;
/// password from `GILT_PASSWORD`, else `config.password_command`, else the prompt.
/// `env` reads an environment variable (injected so tests do not touch the process env).
pub fn obtain_credentials(
    config: &Config,
    env: impl Fn(&str) -> Option<String>,
    prompt: &mut dyn Prompt,
) -> Result<Credentials, CredentialsError> {
    let email = match env(EMAIL_ENV).filter(|e| !e.trim().is_empty()) {
        Some(email) => email,
        None if !config.email.trim().is_empty() => config.email.clone(),
        None => prompt.ask("Guilded email: ")?,
    };
    let email = email.trim().to_owned();
    if email.is_empty() {
        return Err(CredentialsError::Empty("email"));
    }
    let password = match env(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        Some(password) => SecretString::from(password),
        None if !config.password_command.trim().is_empty() => {
            run_password_command(&config.password_command)?
        }
        None => prompt.ask_secret(&format!("Password for {email}: "))?,
    };
    if secrecy::ExposeSecret::expose_secret(&password).is_empty() {
        return Err(CredentialsError::Empty("password"));
    }
    Ok(Credentials { email, password })
}

/// Run `sh -c command` and take its stdout, minus one trailing newline, as the password
/// (like `pass show guilded`). Its stderr goes to the terminal so it can ask for a passphrase.
pub fn run_password_command(command: &str) -> Result<SecretString, CredentialsError> {
    let fail = |reason: String| CredentialsError::Command {
        command: command.to_owned(),
        reason,
    };
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| fail(e.to_string()))?;
    let stdout = Zeroizing::new(output.stdout);
    if !output.status.success() {
        return Err(fail(format!("exited with {}", output.status)));
    }
    let text = std::str::from_utf8(&stdout).map_err(|_| fail("printed invalid UTF-8".into()))?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    Ok(SecretString::from(text.to_owned()))
}

/// The prompt on the controlling terminal (stdin must be a tty; labels go to stderr).
#[derive(Debug, Default)]
pub struct TerminalPrompt;

impl Prompt for TerminalPrompt {
    fn ask(&mut self, label: &str) -> Result<String, CredentialsError> {
        if !std::io::stdin().is_terminal() {
            return Err(CredentialsError::NoTerminal("email"));
        }
        let mut stderr = std::io::stderr();
        stderr.write_all(label.as_bytes())?;
        stderr.flush()?;
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line)? == 0 {
            return Err(CredentialsError::Cancelled);
        }
        Ok(line.trim().to_owned())
    }

    fn ask_secret(&mut self, label: &str) -> Result<SecretString, CredentialsError> {
        if !std::io::stdin().is_terminal() {
            return Err(CredentialsError::NoTerminal("password"));
        }
        let mut stderr = std::io::stderr();
        stderr.write_all(label.as_bytes())?;
        stderr.flush()?;
        // Raw mode turns echo off; it is restored on every path out, errors included.
        crossterm::terminal::enable_raw_mode()?;
        let result = read_secret_raw(&mut std::io::stdin());
        let restored = crossterm::terminal::disable_raw_mode();
        stderr.write_all(b"\r\n")?;
        restored?;
        result
    }
}

/// What one byte typed at the no-echo prompt does.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    More,
    Done,
    Cancel,
}

/// Apply one raw byte to the secret being typed: Enter ends, Ctrl-C (or Ctrl-D on an empty
/// line) cancels, Backspace removes one whole UTF-8 character, Ctrl-U clears.
fn edit_secret(buffer: &mut Vec<u8>, byte: u8) -> Key {
    match byte {
        0x03 => Key::Cancel,
        0x04 if buffer.is_empty() => Key::Cancel,
        b'\r' | b'\n' | 0x04 => Key::Done,
        0x7f | 0x08 => {
            while let Some(last) = buffer.pop() {
                // Stop after removing the lead byte of a multi-byte character.
                if last & 0b1100_0000 != 0b1000_0000 {
                    break;
                }
            }
            Key::More
        }
        0x15 => {
            for b in buffer.iter_mut() {
                *b = 0;
            }
            buffer.clear();
            Key::More
        }
        b if b < 0x20 => Key::More,
        b => {
            buffer.push(b);
            Key::More
        }
    }
}

fn read_secret_raw(input: &mut impl Read) -> Result<SecretString, CredentialsError> {
    let mut buffer = Zeroizing::new(Vec::with_capacity(64));
    let mut byte = [0u8; 1];
    loop {
        if input.read(&mut byte)? == 0 {
            break;
        }
        if buffer.len() == buffer.capacity() {
            // Grow by hand: a `Vec` growing itself frees the old copy without zeroing it.
            let mut bigger = Zeroizing::new(Vec::with_capacity(buffer.capacity() * 2));
            bigger.extend_from_slice(&buffer);
            buffer = bigger;
        }
        match edit_secret(&mut buffer, byte[0]) {
            Key::More => {}
            Key::Done => break,
            Key::Cancel => return Err(CredentialsError::Cancelled),
        }
    }
    let text = std::str::from_utf8(&buffer).map_err(|_| {
        CredentialsError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the password is not valid UTF-8",
        ))
    })?;
    Ok(SecretString::from(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    /// A scripted prompt that records what it was asked.
    #[derive(Default)]
    struct Script {
        email: Option<String>,
        password: Option<String>,
        asked: Vec<String>,
    }

    impl Prompt for Script {
        fn ask(&mut self, label: &str) -> Result<String, CredentialsError> {
            self.asked.push(label.to_owned());
            self.email
                .clone()
                .ok_or(CredentialsError::NoTerminal("email"))
        }
        fn ask_secret(&mut self, label: &str) -> Result<SecretString, CredentialsError> {
            self.asked.push(label.to_owned());
            self.password
                .clone()
                .map(SecretString::from)
                .ok_or(CredentialsError::NoTerminal("password"))
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn environment_wins_and_nothing_is_asked() {
        let env = |k: &str| match k {
            EMAIL_ENV => Some("env@example.com".to_owned()),
            PASSWORD_ENV => Some("envpass".to_owned()),
            _ => None,
        };
        let config = Config {
            email: "config@example.com".into(),
            password_command: "echo nope".into(),
            ..Config::default()
        };
        let mut prompt = Script::default();
        let creds = obtain_credentials(&config, env, &mut prompt).unwrap();
        assert_eq!(creds.email, "env@example.com");
        assert_eq!(creds.password.expose_secret(), "envpass");
        assert!(prompt.asked.is_empty());
    }

    #[test]
    fn password_command_output_loses_only_its_trailing_newline() {
        let config = Config {
            email: "me@example.com".into(),
            password_command: "printf ' pa ss \\n'".into(),
            ..Config::default()
        };
        let mut prompt = Script::default();
        let creds = obtain_credentials(&config, no_env, &mut prompt).unwrap();
        assert_eq!(creds.password.expose_secret(), " pa ss ");
        assert!(prompt.asked.is_empty());
    }

    #[test]
    fn failing_password_command_is_reported() {
        let config = Config {
            email: "me@example.com".into(),
            password_command: "exit 3".into(),
            ..Config::default()
        };
        let err = obtain_credentials(&config, no_env, &mut Script::default()).unwrap_err();
        assert!(err.to_string().contains("exit 3"), "{err}");
    }

    #[test]
    fn prompt_is_used_when_nothing_else_is_configured() {
        let mut prompt = Script {
            email: Some("  typed@example.com \n".into()),
            password: Some("typed".into()),
            ..Script::default()
        };
        let creds = obtain_credentials(&Config::default(), no_env, &mut prompt).unwrap();
        assert_eq!(creds.email, "typed@example.com");
        assert_eq!(creds.password.expose_secret(), "typed");
        assert_eq!(prompt.asked.len(), 2);
        assert!(prompt.asked[1].contains("typed@example.com"));
        assert!(!format!("{creds:?}").contains("typed\""));
    }

    #[test]
    fn empty_password_is_refused() {
        let mut prompt = Script {
            email: Some("a@b.c".into()),
            password: Some(String::new()),
            ..Script::default()
        };
        let err = obtain_credentials(&Config::default(), no_env, &mut prompt).unwrap_err();
        assert!(matches!(err, CredentialsError::Empty("password")));
    }

    #[test]
    fn raw_reader_edits_like_a_terminal() {
        // "héllo", backspace over the two-byte é... then Enter.
        let mut input: &[u8] = b"ab\x7fc h\xc3\xa9\x7fi\x1b\r ignored";
        let secret = read_secret_raw(&mut input).unwrap();
        assert_eq!(secret.expose_secret(), "ac hi");
        let mut input: &[u8] = b"abc\x15xy\n";
        assert_eq!(read_secret_raw(&mut input).unwrap().expose_secret(), "xy");
        let mut input: &[u8] = b"abc\x03";
        assert!(matches!(
            read_secret_raw(&mut input),
            Err(CredentialsError::Cancelled)
        ));
        let mut input: &[u8] = b"\x04";
        assert!(matches!(
            read_secret_raw(&mut input),
            Err(CredentialsError::Cancelled)
        ));
        // Longer than the first buffer: grown by hand, nothing lost.
        let long = "p4ss-🔑-".repeat(40);
        let typed = format!("{long}\r");
        let mut input: &[u8] = typed.as_bytes();
        assert_eq!(read_secret_raw(&mut input).unwrap().expose_secret(), long);
    }
}
