//! The marker file `.brink-output`: brink's signature and the list of files
//! it wrote into a folder. Only listed files are ever deleted.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The marker's name inside an output folder.
pub const MARKER: &str = ".brink-output";

/// The signature in the marker's `format` field.
pub const SIGNATURE: &str = "brink-output-folder-1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub format: String,
    pub brink_version: String,
    /// Every file brink wrote, as paths relative to the folder, `/`-separated.
    pub files: BTreeSet<String>,
}

impl Marker {
    pub fn new(files: BTreeSet<String>) -> Self {
        Marker { format: SIGNATURE.into(), brink_version: env!("CARGO_PKG_VERSION").into(), files }
    }

    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# written by brink: the files brink wrote here. brink replaces this folder as a whole,\n\
             # deleting only the files listed; keep your own files elsewhere.\n",
        );
        text.push_str(&serde_json::to_string_pretty(self).unwrap_or_default());
        text.push('\n');
        text
    }
}

/// What the marker of `folder` says brink wrote there: `None` when the
/// folder has no marker (or one brink cannot read). Markers of brink 0.1
/// before the file list carry no list; their files are recognised by the
/// names brink gives its outputs.
pub fn read(folder: &Path) -> Option<Owned> {
    let text = fs::read_to_string(folder.join(MARKER)).ok()?;
    if text.starts_with("written by brink;") {
        return Some(Owned::ByName);
    }
    let json: String = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let marker: Marker = serde_json::from_str(&json).ok()?;
    (marker.format == SIGNATURE).then_some(Owned::Listed(marker.files))
}

/// Which files of a folder brink may delete.
#[derive(Debug, Clone)]
pub enum Owned {
    Listed(BTreeSet<String>),
    /// A legacy marker: brink's output names only.
    ByName,
}

impl Owned {
    pub fn contains(&self, relative: &str) -> bool {
        match self {
            Owned::Listed(files) => files.contains(relative),
            Owned::ByName => {
                !relative.contains('/')
                    && (matches!(relative, "summary.json" | "runs.csv" | "sweep.csv" | "compare.csv")
                        || relative.ends_with(".png")
                        || relative.ends_with(".svg"))
            }
        }
    }
}

/// Every file under `folder` (relative, `/`-separated), and every folder
/// (with a trailing `/`), the marker excluded.
pub fn entries(folder: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    walk(folder, "", &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if rel == MARKER {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            out.push(format!("{rel}/"));
            walk(&entry.path(), &format!("{rel}/"), out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}
