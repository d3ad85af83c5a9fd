//! Field-level validation errors, collected so that a form can show every
//! problem next to its field at once.

use serde::{Deserialize, Serialize};

/// One problem with one form field. `field` is the form field's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All the problems found in one form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    /// Records the error of a parse, if any, and gives back its value.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// `Ok(value)` when nothing was recorded, so a parser can end with
    /// `errors.finish(|| build(...))`.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if self.is_empty() { build().ok_or(self) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trims a required text field and checks its length in characters.
pub fn required_text(value: &str, what: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(format!("{what} is required."));
    }
    optional_text(trimmed, what, max_chars).map(|v| v.unwrap_or_default())
}

/// Trims an optional text field: empty becomes `None`.
pub fn optional_text(value: &str, what: &str, max_chars: usize) -> Result<Option<String>, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max_chars {
        return Err(format!("{what} must be at most {max_chars} characters."));
    }
    Ok(Some(trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_rejects_blank_and_overlong_values() {
        assert!(required_text("   ", "Title", 10).is_err());
        assert!(required_text("12345678901", "Title", 10).is_err());
        assert_eq!(required_text("  ok ", "Title", 10).as_deref(), Ok("ok"));
    }

    #[test]
    fn optional_text_maps_blank_to_none() {
        assert_eq!(optional_text(" ", "Commander", 10), Ok(None));
        assert_eq!(optional_text(" Ann ", "Commander", 10), Ok(Some("Ann".into())));
    }
}
