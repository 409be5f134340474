//! The `brink` command: parse arguments, run the pipeline, exit.
//! All the work is in the library; see `cli/` for the glue.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
