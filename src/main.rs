fn main() -> std::process::ExitCode {
    khabar::cli::quiet_on_closed_stdout();
    match khabar::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // `khabar classify … | head -1`: the reader has what it wanted.
        Err(e) if khabar::cli::is_closed_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("khabar: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
