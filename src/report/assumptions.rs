//! The FACT and ASSUMPTION comments of a scenario file, with the numbers each
//! one sets, for reports: a decision-maker sees what the results rest on.
//!
//! A comment block is a run of `#` lines; it counts when it contains the word
//! FACT or ASSUMPTION (or ASSUMPTIONS). The lines it "sets" are the TOML lines
//! that follow it up to the next comment block or blank line, with the
//! section header they belong to, so `discount = { normal = [0.95, 0.02] }`
//! reads as `[actors.russia] discount = …`.

use serde::Serialize;

/// One tagged comment block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// 1-based line of the block's first line in the file.
    pub line: usize,
    /// "FACT", "ASSUMPTION", or both, in order of first appearance.
    pub tags: Vec<String>,
    /// The comment text, without the `#` marks, lines joined by spaces.
    pub text: String,
    /// The TOML lines the block documents, each prefixed by its section.
    pub sets: Vec<String>,
}

/// Every FACT/ASSUMPTION block of `text`, in file order.
pub fn extract(text: &str) -> Vec<Assumption> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut section = String::new();
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k].trim();
        if let Some(header) = section_header(line) {
            section = header;
            k += 1;
            continue;
        }
        if !line.starts_with('#') {
            k += 1;
            continue;
        }
        let start = k;
        let mut comment = Vec::new();
        while k < lines.len() && lines[k].trim().starts_with('#') {
            comment.push(lines[k].trim().trim_start_matches('#').trim());
            k += 1;
        }
        let text = comment.iter().filter(|c| !c.is_empty() && !c.chars().all(|ch| ch == '-' || ch == '=')).copied();
        let text = text.collect::<Vec<_>>().join(" ");
        let tags: Vec<String> = ["FACT", "ASSUMPTION"]
            .iter()
            .filter_map(|t| text.find(t).map(|at| (at, t.to_string())))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_values()
            .collect();
        let mut sets = Vec::new();
        let mut block_section = section.clone();
        while k < lines.len() {
            let l = lines[k].trim();
            if l.is_empty() || l.starts_with('#') {
                break;
            }
            if let Some(header) = section_header(l) {
                block_section = header.clone();
                section = header;
            } else {
                let prefix = if block_section.is_empty() { String::new() } else { format!("[{block_section}] ") };
                sets.push(format!("{prefix}{l}"));
            }
            k += 1;
        }
        if !tags.is_empty() {
            out.push(Assumption { line: start + 1, tags, text, sets });
        }
    }
    out
}

/// `[actors.usa]` → `actors.usa`; `[[issues]]` → `issues`.
fn section_header(line: &str) -> Option<String> {
    let inner = line.strip_prefix('[')?;
    let end = inner.find(']')?;
    let name = inner[..end].trim_start_matches('[').trim();
    (!name.is_empty() && !line.contains('=')).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_numbers_and_sections() {
        let text = "# header, no tag\n[scenario]\n# ASSUMPTION: 20 rounds of talks.\nrounds = 20\n\n\
                    [actors.russia]\n# FACT: Lavrov ruled out concessions. ASSUMPTION: a Boulware.\n\
                    strategy = { kind = \"time\", beta = 0.3 }\nname = \"Russia\"\n";
        let a = extract(text);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].line, 3);
        assert_eq!(a[0].tags, ["ASSUMPTION"]);
        assert_eq!(a[0].sets, ["[scenario] rounds = 20"]);
        assert_eq!(a[1].tags, ["FACT", "ASSUMPTION"]);
        assert_eq!(a[1].sets.len(), 2);
        assert!(a[1].sets[0].starts_with("[actors.russia] strategy"));
    }

    #[test]
    fn every_geneva_number_block_is_found() {
        let text = crate::scenario::find_builtin("geneva-2022").unwrap().text;
        let a = extract(text);
        let tagged = text.lines().filter(|l| l.trim_start().starts_with('#') && l.contains("ASSUMPTION")).count();
        assert!(a.len() >= 20 && a.len() <= tagged + 20, "{}", a.len());
        assert!(a.iter().any(|x| x.sets.iter().any(|s| s.contains("breakdown_hazard"))));
    }
}
