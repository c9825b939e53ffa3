//! What must never be printed: values of env keys that are not Kafka settings, and of any key
//! that looks like a secret. Reports show the lines around a finding; in CI those lines end up
//! in logs that more people read than the repository's env files.
//!
//! Policy (README, Safety): in env files, a value is shown only when its key is a Kafka setting
//! (`<PREFIX>KAFKA_*`, or a key of the configuration's `[keys]`), or a key the configuration
//! bounds (`[[bounds]]`), and the key does not look secret and the value holds no URL user
//! info. In Rust files, the values set for secret-looking librdkafka properties
//! (`sasl.password`, `ssl.key.password`, ...) are masked. Masked text prints as `*`.

/// Words that make a key look secret, matched in the key upper-cased.
const SECRET_WORDS: [&str; 9] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "CREDENTIAL",
    "JAAS",
    "PRIVATE",
    "AUTH",
];

/// Whether an env key or a client property name looks like it holds a secret
/// (`DB_PASSWORD`, `KAFKA_SASL_PASSWORD`, `sasl.password`, `API_KEY`, `GITHUB_TOKEN`).
pub fn looks_secret(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// Whether a value holds a URL with user info (`https://user:pass@host`, `sasl://u@h`).
pub fn has_user_info(value: &str) -> bool {
    value.match_indices("://").any(|(at, _)| {
        let rest = &value[at + 3..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        authority.contains('@')
    })
}

/// Whether an env file may show the value of `key`: it is a setting the tool reads (`kafka`:
/// a Kafka key, a `[keys]` name or a bounded key), the key does not look secret, and the value
/// holds no user info.
pub fn env_value_shown(key: &str, value: &str, kafka: bool) -> bool {
    kafka && !looks_secret(key) && !has_user_info(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_and_user_info() {
        for key in [
            "DB_PASSWORD",
            "KAFKA_SASL_PASSWORD",
            "sasl.password",
            "API_KEY",
            "github_token",
            "KAFKA_SASL_JAAS_CONFIG",
        ] {
            assert!(looks_secret(key), "{key}");
        }
        for key in [
            "KAFKA_SESSION_TIMEOUT_MS",
            "KAFKA_GROUP_ID",
            "socket.timeout.ms",
        ] {
            assert!(!looks_secret(key), "{key}");
        }
        assert!(has_user_info("SASL_SSL://user:pw@broker:9093"));
        assert!(has_user_info("https://u@h/x"));
        assert!(!has_user_info("broker:9092,other:9092"));
        assert!(!has_user_info("https://h/a@b"));
        assert!(env_value_shown("KAFKA_SESSION_TIMEOUT_MS", "6000", true));
        assert!(!env_value_shown(
            "DATABASE_URL",
            "postgres://localhost",
            false
        ));
        assert!(!env_value_shown(
            "KAFKA_BOOTSTRAP_SERVERS",
            "sasl://u:p@b:9092",
            true
        ));
    }
}
