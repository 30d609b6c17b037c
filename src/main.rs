//! `marketing-apis`: dry-run or send any generated operation from a JSON file.

fn main() -> std::process::ExitCode {
    marketing_apis::cli::main()
}
