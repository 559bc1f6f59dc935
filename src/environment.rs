//! The environment variables pressroom reads, read once when a command
//! starts (`main.rs`) and handed on, turned into `cli::Run` or options:
//! nothing deeper reads the environment. The one exception is object
//! storage's credentials and endpoint (`AWS_*`, `GOOGLE_*`, `AZURE_*`),
//! which the object_store client reads by the names its users know
//! (`publish/destination.rs`).

use std::ffi::OsString;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `SOURCE_DATE_EPOCH`, as written: checked by `Settings::new`.
    pub source_date_epoch: Option<String>,
    /// `GITHUB_ACTIONS=true`: problems print as workflow commands unless
    /// `--format` says otherwise.
    pub github_actions: bool,
    /// `NO_COLOR` set and not empty: no colours, even on a terminal.
    pub no_color: bool,
    /// `PRESSROOM_FAIL_STAGE`, a test hook: the named build stage fails as
    /// a full disk would (`fault.rs`).
    pub fail_stage: Option<String>,
    /// `PRESSROOM_RENDER_SECONDS`: a shorter render budget than
    /// `template::MAX_TIME`, so that the budget's tests run in seconds.
    pub render_time: Option<Duration>,
    /// `PRESSROOM_MULTIPART_BYTES`: the size from which `publish` uploads
    /// in parts, lowered by the tests to exercise multipart uploads.
    #[cfg(feature = "publish")]
    pub multipart_bytes: Option<u64>,
}

impl Environment {
    /// Reads the process's environment.
    pub fn read() -> Environment {
        Environment::from_vars(|name| std::env::var_os(name))
    }

    /// Reads the variables from `var` (the process's environment, or a
    /// test's).
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Environment {
        let text = |name: &str| var(name).and_then(|v| v.into_string().ok()).filter(|v| !v.is_empty());
        let number = |name: &str| text(name).and_then(|v| v.trim().parse::<u64>().ok());
        Environment {
            source_date_epoch: var("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned()),
            github_actions: var("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            fail_stage: text("PRESSROOM_FAIL_STAGE"),
            render_time: number("PRESSROOM_RENDER_SECONDS").map(Duration::from_secs),
            #[cfg(feature = "publish")]
            multipart_bytes: number("PRESSROOM_MULTIPART_BYTES"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        let vars: Vec<(String, OsString)> = vars.iter().map(|(k, v)| (k.to_string(), v.into())).collect();
        Environment::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn reads_each_variable_as_documented() {
        let e = env(&[
            ("SOURCE_DATE_EPOCH", "1735689600"),
            ("GITHUB_ACTIONS", "true"),
            ("NO_COLOR", "1"),
            ("PRESSROOM_RENDER_SECONDS", "2"),
            ("PRESSROOM_MULTIPART_BYTES", "5242880"),
        ]);
        assert_eq!(e.source_date_epoch.as_deref(), Some("1735689600"));
        assert!(e.github_actions && e.no_color);
        assert_eq!(e.render_time, Some(Duration::from_secs(2)));
        #[cfg(feature = "publish")]
        assert_eq!(e.multipart_bytes, Some(5 << 20));
        assert_eq!(e.fail_stage, None);
    }

    #[test]
    fn empty_or_other_values_count_as_unset() {
        let e = env(&[("GITHUB_ACTIONS", "1"), ("NO_COLOR", ""), ("PRESSROOM_FAIL_STAGE", "")]);
        assert!(!e.github_actions && !e.no_color);
        assert_eq!(e.fail_stage, None);
        // An empty SOURCE_DATE_EPOCH is kept: `Settings::new` treats it as unset.
        assert_eq!(env(&[("SOURCE_DATE_EPOCH", "")]).source_date_epoch.as_deref(), Some(""));
    }
}
