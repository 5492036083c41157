//! A progress bar on the terminal for long streams, and nothing anywhere else.
//!
//! The bar is drawn on standard error only when standard error is a terminal, `CI` is not
//! set, and the caller allows it (the commands pass whether their output is piped into
//! another process: two bars from `generate | assess` would fight over one line).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar, or nothing.
pub(crate) struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar counting `unit` (with an ETA when `total` is known), if drawing one is wanted.
    pub(crate) fn new(wanted: bool, total: Option<u64>, unit: &str) -> Progress {
        if !wanted || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = match total {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            format!("{{bar:30}} {{human_pos}}/{{human_len}} {unit}  {{per_sec}}  ETA {{eta}}")
        } else {
            format!("{{spinner}} {{human_pos}} {unit}  {{per_sec}}  {{elapsed}}")
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        Progress(Some(bar))
    }

    /// Sets the position (records done, or bytes read when the total is bytes).
    pub(crate) fn set(&self, done: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(done);
        }
    }

    /// Clears the bar.
    pub(crate) fn finish(&self, done: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(done);
            bar.finish_and_clear();
        }
    }
}

/// True unless standard output is a pipe into another process (a file or a terminal is
/// fine: the bar then goes to the terminal on standard error).
pub(crate) fn stdout_not_piped() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return false;
        };
        match std::fs::File::from(fd).metadata() {
            Ok(m) => !m.file_type().is_fifo() && !m.file_type().is_socket(),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        std::io::stdout().is_terminal()
    }
}
