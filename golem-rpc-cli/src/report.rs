//! Findings and how they are printed: rustc-style text (coloured on a terminal) or one JSON
//! document.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Makes the command fail.
    Error,
    /// Worth a look; the command still succeeds.
    Warning,
    /// Information.
    Note,
}

impl Level {
    /// `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    /// The ANSI style rustc uses for the level's label.
    fn style(self) -> &'static str {
        match self {
            Level::Error => "\x1b[1;91m",
            Level::Warning => "\x1b[1;93m",
            Level::Note => "\x1b[1;92m",
        }
    }
}

/// One thing the tool has to say.
#[derive(Debug, Clone)]
pub struct Finding {
    /// How serious it is.
    pub level: Level,
    /// A stable kebab-case identifier of the kind of finding (`unprovided-import`,
    /// `signature-drift`, …), for scripts.
    pub code: &'static str,
    /// The one-line message.
    pub message: String,
    /// Further lines (`= note: …` in text).
    pub notes: Vec<String>,
    /// Structured details for JSON (an object, or `null`).
    pub details: Value,
}

impl Finding {
    /// A finding without notes or details.
    pub fn new(level: Level, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            level,
            code,
            message: message.into(),
            notes: Vec::new(),
            details: Value::Null,
        }
    }

    /// Adds a note line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the structured details.
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// The findings of one command run, plus structured data for JSON.
#[derive(Debug, Clone)]
pub struct Report {
    /// `check` or `compose`.
    pub command: &'static str,
    /// The file the command was about (the caller).
    pub subject: String,
    /// What was found, in order.
    pub findings: Vec<Finding>,
    /// Extra top-level JSON fields (imports, records, sizes, …).
    pub data: serde_json::Map<String, Value>,
}

impl Report {
    /// An empty report.
    pub fn new(command: &'static str, subject: impl Into<String>) -> Self {
        Self {
            command,
            subject: subject.into(),
            findings: Vec::new(),
            data: serde_json::Map::new(),
        }
    }

    /// Adds a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// How many findings have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether the command succeeded (no errors).
    pub fn ok(&self) -> bool {
        self.count(Level::Error) == 0
    }

    /// The report as text: one `level: message` line per finding with `= note:` lines under it,
    /// then a summary line. `colour` adds rustc's ANSI colours.
    pub fn to_text(&self, colour: bool) -> String {
        let paint = |style: &str, text: &str| {
            if colour {
                format!("{style}{text}\x1b[0m")
            } else {
                text.to_owned()
            }
        };
        let mut out = String::new();
        for finding in &self.findings {
            let label = paint(finding.level.style(), finding.level.as_str());
            let _ = writeln!(
                out,
                "{label}{}",
                paint("\x1b[1m", &format!(": {}", finding.message))
            );
            for note in &finding.notes {
                let mut lines = note.lines();
                let first = lines.next().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {} {}: {first}",
                    paint("\x1b[1;94m", "="),
                    paint("\x1b[1m", "note")
                );
                for line in lines {
                    let _ = writeln!(out, "          {line}");
                }
            }
        }
        let (errors, warnings) = (self.count(Level::Error), self.count(Level::Warning));
        let summary = match (errors, warnings) {
            (0, 0) => format!("{} `{}`: ok", self.command, self.subject),
            (0, w) => format!(
                "{} `{}`: ok, {}",
                self.command,
                self.subject,
                plural(w, "warning")
            ),
            (e, 0) => format!(
                "{} `{}` failed: {}",
                self.command,
                self.subject,
                plural(e, "error")
            ),
            (e, w) => format!(
                "{} `{}` failed: {}, {}",
                self.command,
                self.subject,
                plural(e, "error"),
                plural(w, "warning")
            ),
        };
        let level = if errors > 0 {
            Level::Error
        } else {
            Level::Note
        };
        let _ = writeln!(
            out,
            "{}{}",
            paint(level.style(), level.as_str()),
            paint("\x1b[1m", &format!(": {summary}"))
        );
        out
    }

    /// The report as one JSON document.
    pub fn to_json(&self) -> Value {
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let mut object = json!({
                    "level": f.level.as_str(),
                    "code": f.code,
                    "message": f.message,
                    "notes": f.notes,
                });
                if let (Some(object), Value::Object(details)) = (object.as_object_mut(), &f.details)
                {
                    object.extend(details.clone());
                }
                object
            })
            .collect();
        let mut document = json!({
            "command": self.command,
            "subject": self.subject,
            "ok": self.ok(),
            "errors": self.count(Level::Error),
            "warnings": self.count(Level::Warning),
            "findings": findings,
        });
        if let Some(object) = document.as_object_mut() {
            object.extend(self.data.clone());
        }
        document
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut report = Report::new("check", "caller.wasm");
        report.push(
            Finding::new(Level::Error, "signature-drift", "`a:b/c.{f}` changed")
                .note("caller built against `func()`\nsecond line")
                .details(json!({ "function": "a:b/c.{f}" })),
        );
        report.push(Finding::new(Level::Warning, "unused-import", "unused"));
        report
    }

    #[test]
    fn text_is_rustc_style() {
        let text = sample().to_text(false);
        assert_eq!(
            text,
            "error: `a:b/c.{f}` changed\n  = note: caller built against `func()`\n          second line\nwarning: unused\nerror: check `caller.wasm` failed: 1 error, 1 warning\n"
        );
        assert!(sample().to_text(true).contains("\x1b[1;91merror\x1b[0m"));
    }

    #[test]
    fn json_carries_the_same_findings() {
        let json = sample().to_json();
        assert_eq!(json["ok"], false);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 1);
        assert_eq!(json["findings"][0]["code"], "signature-drift");
        assert_eq!(json["findings"][0]["function"], "a:b/c.{f}");
        assert_eq!(json["findings"][1]["level"], "warning");
    }
}
