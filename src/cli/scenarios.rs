//! `brink scenarios`: list the built-in scenarios, or print one.

use super::terminal::{out, outln};
use brink::scenario::{self, BUILTIN};

use super::{CliResult, Failure};

/// List the scenarios built into brink, or print one to start your own from.
///
/// Example: brink scenarios show rubinstein > my-scenario.toml
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// List the built-in scenarios as JSON (name and description).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Print a built-in scenario's TOML (redirect it to a file to edit it).
    Show {
        /// Name of the built-in scenario.
        name: String,
    },
}

pub fn run(args: Args) -> CliResult {
    match args.action {
        None => {
            let list: Vec<(&str, String)> = BUILTIN
                .iter()
                .map(|b| {
                    let description = scenario::load_bytes(b.name, b.text.as_bytes())
                        .map(|(_, m)| m.description)
                        .unwrap_or_else(|_| "(does not load: a bug in brink)".into());
                    (b.name, description)
                })
                .collect();
            if args.json {
                let v: Vec<_> = list.iter().map(|(n, d)| serde_json::json!({"name": n, "description": d})).collect();
                super::print_json(&serde_json::Value::Array(v));
                return Ok(());
            }
            for (name, description) in &list {
                outln!("{name:<14} {description}");
            }
            outln!("\nRun one with `brink run NAME`; print one with `brink scenarios show NAME`.");
            Ok(())
        }
        Some(Action::Show { name }) => match scenario::find_builtin(&name) {
            Some(b) => {
                out!("{}", b.text);
                Ok(())
            }
            None => {
                let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
                Err(Failure::Input(format!(
                    "error: no built-in scenario named `{name}` (built-ins: {})\n",
                    names.join(", ")
                )))
            }
        },
    }
}
