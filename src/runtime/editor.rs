//! The external editor (`$VISUAL`, else `$EDITOR`, else `vi`) on a draft: the draft goes into
//! a private temporary file (0600, created new, never an existing path), the editor runs on
//! the terminal, and the file's text comes back. The file is removed whatever happens.
//!
//! The caller hands the terminal over first (`Tui::suspend`) and takes it back after.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The editor command line: `$VISUAL`, else `$EDITOR`, else `vi` (may hold arguments, such as
/// `code --wait`; it is run by `sh`).
pub fn editor_command(env: &dyn Fn(&str) -> Option<String>) -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| env(name))
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Edit `text` with `editor` in a private file under `dir`; the edited text, or why not.
pub async fn edit(editor: &str, dir: &Path, text: &str) -> Result<String, String> {
    let path = private_file(dir, text)
        .map_err(|e| format!("cannot write the draft for the editor: {e}"))?;
    let result = run(editor, &path).await;
    let _ = std::fs::remove_file(&path);
    result
}

async fn run(editor: &str, path: &Path) -> Result<String, String> {
    // `sh -c 'EDITOR "$1"' sh PATH`: the editor may carry arguments; the path is never parsed
    // by the shell.
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .await
        .map_err(|e| format!("cannot run the editor `{editor}`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the editor `{editor}` failed ({status}); the draft is unchanged"
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read the edited draft: {e}"))
}

/// A new file only the user can read, holding `text`.
fn private_file(dir: &Path, text: &str) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("gilt-draft-{}.md", uuid::Uuid::new_v4()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            editor_command(&env(&[("VISUAL", "code --wait"), ("EDITOR", "nano")])),
            "code --wait"
        );
        assert_eq!(
            editor_command(&env(&[("VISUAL", " "), ("EDITOR", "nano")])),
            "nano"
        );
        assert_eq!(editor_command(&env(&[])), "vi");
    }

    #[tokio::test]
    async fn the_draft_round_trips_through_a_private_file_that_is_removed() {
        let dir = std::env::temp_dir().join(format!("gilt-editor-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let seen = dir.join("seen");
        // The "editor" records the file's mode and path, then appends a word.
        let editor = format!(
            "sh -c 'stat -c %a \"$0\" > {seen}; echo \"$0\" >> {seen}; printf \" edited\" >> \"$0\"'",
            seen = seen.display()
        );
        let out = edit(&editor, &dir, "hello").await.unwrap();
        assert_eq!(out, "hello edited");
        let record = std::fs::read_to_string(&seen).unwrap();
        let mut lines = record.lines();
        assert_eq!(lines.next(), Some("600"));
        let path = lines.next().unwrap();
        assert!(!Path::new(path).exists(), "temp file left behind");
        // A failing editor: an error, the file still removed.
        let err = edit("false", &dir, "x").await.unwrap_err();
        assert!(err.contains("failed"), "{err}");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("gilt-draft-"))
            .collect();
        assert!(left.is_empty());
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
