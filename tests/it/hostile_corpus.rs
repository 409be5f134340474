//! Issue 14: the hostile corpus in tests/hostile/. Each file names, in its
//! first lines, the command to run (`# args:`, with `{file}` and `{out}`),
//! the exit status and a fragment of the message; `.nfg` files are games
//! for `brink solve`, refused by its work budget. Every case must print no
//! raw escape character and leave every file as it was.

use crate::common;

use std::fs;

use common::*;

#[test]
fn every_hostile_input_gets_a_clear_answer_and_loses_no_file() {
    let corpus = root().join("tests/hostile");
    let mut files: Vec<_> = fs::read_dir(&corpus).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(files.len() >= 6);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dir = scratch(&format!("hostile-{name}"));
        fs::copy(&path, dir.join(&name)).unwrap();
        let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
        let header = |key: &str| text.lines().find_map(|l| l.strip_prefix(&format!("# {key}: ")).map(str::to_string));
        let (args, status, message) = if name.ends_with(".nfg") {
            ("solve {file}".to_string(), 2, "work budget".to_string())
        } else {
            (
                header("args").unwrap_or_else(|| panic!("{name}: no `# args:` line")),
                header("status").and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{name}: no `# status:`")),
                header("message").unwrap_or_else(|| panic!("{name}: no `# message:`")),
            )
        };
        let args: Vec<String> =
            args.split_whitespace().map(|a| a.replace("{file}", &name).replace("{out}", "out")).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let before = snapshot(&dir);
        let o = brink_in(&dir, &args);
        let printed = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert_eq!(o.status.code(), Some(status), "{name}: {printed}");
        assert!(printed.contains(&message), "{name}: expected {message:?} in:\n{printed}");
        assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "{name}: raw ESC printed");
        assert!(!printed.contains("panicked"), "{name}: {printed}");
        assert_kept(&before, &dir);
        fs::remove_dir_all(&dir).ok();
    }
}
