fn main() -> std::process::ExitCode {
    match khabar::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("khabar: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
