//! A progress bar on the terminal for long streams, and nothing anywhere else.
//!
//! The bar is drawn on standard error only when standard error is a terminal, `CI` is not
//! set, and the caller allows it (the commands pass whether their output is piped into
//! another process: two bars from `generate | assess` would fight over one line).

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar, or nothing.
pub(crate) struct Progress(Option<(ProgressBar, Instant, &'static str)>);

impl Progress {
    /// A bar (with an ETA when `total` is known: records, or bytes of a file), if drawing one
    /// is wanted; `unit` names the records.
    pub(crate) fn new(wanted: bool, total: Option<u64>, unit: &'static str) -> Progress {
        if !wanted || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = match total {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{bar:30} {percent:>3}%  {msg}  ETA {eta}"
        } else {
            "{spinner} {msg}  {elapsed}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress(Some((bar, Instant::now(), unit)))
    }

    /// `records` done so far; `position` in the unit of the total (records, or bytes read).
    pub(crate) fn update(&self, records: u64, position: u64) {
        if let Some((bar, start, unit)) = &self.0 {
            let secs = start.elapsed().as_secs_f64().max(1e-3);
            bar.set_position(position);
            bar.set_message(format!(
                "{} {unit}  {}/s",
                HumanCount(records),
                HumanCount((records as f64 / secs) as u64)
            ));
        }
    }

    /// Clears the bar.
    pub(crate) fn finish(&self) {
        if let Some((bar, _, _)) = &self.0 {
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
