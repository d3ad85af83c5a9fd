//! Indicators of compromise: typed values, validated and normalised per type
//! so that the same indicator always compares equal, within an incident (for
//! de-duplication) and across incidents ("where else did we see this IP?").

use super::incident::parse_time;
use super::tlp::Tlp;
use super::validation::FieldErrors;
use super::{Code, code_enum};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

code_enum! {
    /// What kind of value an indicator is.
    IndicatorKind {
        Ip => ("ip", "IP address"),
        Domain => ("domain", "Domain"),
        Url => ("url", "URL"),
        Hash => ("hash", "File hash"),
        Email => ("email", "Email address"),
        FileName => ("file_name", "File name"),
        Account => ("account", "Account"),
    }
}

/// A stored indicator of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub incident_id: String,
    pub kind: IndicatorKind,
    /// The normalised value.
    pub value: String,
    pub tlp: Tlp,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Where an indicator was seen: one incident that recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub reference: String,
    pub title: String,
    pub kind: IndicatorKind,
    pub value: String,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// A validated indicator before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndicator {
    pub kind: IndicatorKind,
    pub value: String,
    pub tlp: Tlp,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// The raw "add an indicator" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorForm {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub tlp: String,
    #[serde(default)]
    pub first_seen: String,
    #[serde(default)]
    pub last_seen: String,
}

impl IndicatorForm {
    pub fn parse(&self) -> Result<NewIndicator, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", IndicatorKind::from_code(self.kind.trim()).ok_or("Choose an indicator type."));
        let value = kind.and_then(|k| e.check("value", normalise(k, &self.value)));
        let tlp = e.check(
            "tlp",
            match self.tlp.trim() {
                "" => Ok(Tlp::Amber),
                code => Tlp::from_code(code).ok_or("Choose a TLP marking from the list."),
            },
        );
        let first_seen = e.check("first_seen", parse_time(&self.first_seen));
        let last_seen = e.check("last_seen", parse_time(&self.last_seen));
        if let (Some(Some(first)), Some(Some(last))) = (first_seen, last_seen)
            && last < first
        {
            e.add("last_seen", "Last seen cannot come before first seen.");
        }
        e.finish(|| {
            Some(NewIndicator { kind: kind?, value: value?, tlp: tlp?, first_seen: first_seen?, last_seen: last_seen? })
        })
    }
}

/// Undoes the usual "defanging" of indicators in reports: `hxxp`, `[.]`,
/// `(.)`, `[:]` and `[@]`.
fn refang(value: &str) -> String {
    value
        .trim()
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[:]", ":")
        .replace("[@]", "@")
        .replace("hxxps://", "https://")
        .replace("hxxp://", "http://")
}

fn normalise_domain(value: &str) -> Result<String, String> {
    let domain = value.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let valid_label = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels.last().is_some_and(|t| t.starts_with("xn--") || t.chars().all(|c| c.is_ascii_alphabetic()));
    if domain.len() > 253 || labels.len() < 2 || !labels.iter().all(valid_label) || !tld_ok {
        return Err("Enter a domain name such as evil.example.com.".into());
    }
    Ok(domain)
}

/// Validates `value` as an indicator of `kind` and returns its normal form.
pub fn normalise(kind: IndicatorKind, value: &str) -> Result<String, String> {
    let value = refang(value);
    if value.is_empty() {
        return Err("Enter the indicator's value.".into());
    }
    if value.chars().count() > 2048 {
        return Err("The value must be at most 2048 characters.".into());
    }
    match kind {
        IndicatorKind::Ip => {
            let (addr, prefix) = match value.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (value.as_str(), None),
            };
            let ip: IpAddr =
                addr.parse().map_err(|_| "Enter an IPv4 or IPv6 address, such as 203.0.113.7.".to_string())?;
            match prefix {
                None => Ok(ip.to_string()),
                Some(p) => {
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    match p.parse::<u8>() {
                        Ok(n) if n <= max => Ok(format!("{ip}/{n}")),
                        _ => Err(format!("The prefix length must be 0 to {max}.")),
                    }
                }
            }
        }
        IndicatorKind::Domain => normalise_domain(&value),
        IndicatorKind::Url => {
            let lower = value.to_ascii_lowercase();
            let scheme_len = ["http://", "https://", "ftp://"]
                .iter()
                .find(|s| lower.starts_with(**s))
                .map(|s| s.len())
                .ok_or("Enter a full URL starting with http:// or https://.")?;
            let rest = &value[scheme_len..];
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let host = rest[..host_end].rsplit('@').next().unwrap_or_default();
            let host_only = host
                .rsplit_once(':')
                .map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
            let host_ok =
                host_only.trim_matches(['[', ']']).parse::<IpAddr>().is_ok() || normalise_domain(host_only).is_ok();
            if !host_ok || value.chars().any(char::is_whitespace) {
                return Err("Enter a full URL with a valid host, such as https://evil.example.com/login.".into());
            }
            // Scheme and host are case-insensitive; the path is not.
            Ok(format!("{}{}{}", &lower[..scheme_len], rest[..host_end].to_ascii_lowercase(), &rest[host_end..]))
        }
        IndicatorKind::Hash => {
            let hex = value.to_ascii_lowercase();
            if matches!(hex.len(), 32 | 40 | 64 | 128) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(hex)
            } else {
                Err("Enter an MD5, SHA-1, SHA-256 or SHA-512 hash in hexadecimal.".into())
            }
        }
        IndicatorKind::Email => {
            let (local, domain) = value.rsplit_once('@').ok_or("Enter an email address such as ceo@example.com.")?;
            if local.is_empty() || local.len() > 64 || local.chars().any(|c| c.is_whitespace() || c == '@') {
                return Err("Enter an email address such as ceo@example.com.".into());
            }
            let domain = normalise_domain(domain).map_err(|_| "The part after @ must be a domain name.".to_string())?;
            Ok(format!("{local}@{domain}"))
        }
        IndicatorKind::FileName => {
            if value.len() > 255 || value.contains(['/', '\0']) {
                Err("Enter a file name without a folder path (at most 255 bytes).".into())
            } else {
                Ok(value)
            }
        }
        IndicatorKind::Account => {
            if value.chars().count() > 256 || value.chars().any(char::is_control) {
                Err("Enter an account name (at most 256 characters).".into())
            } else {
                Ok(value)
            }
        }
    }
}

/// Widens a stored indicator's seen times with a new sighting.
pub fn merge_seen(
    stored: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    new: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let first = match (stored.0, new.0) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let last = match (stored.1, new.1) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    #[test]
    fn valid_values_are_normalised() {
        let cases = [
            (Ip, " 203.0.113.7 ", "203.0.113.7"),
            (Ip, "203[.]0[.]113[.]7", "203.0.113.7"),
            (Ip, "2001:DB8::1", "2001:db8::1"),
            (Ip, "198.51.100.0/24", "198.51.100.0/24"),
            (Domain, "Evil.Example.COM.", "evil.example.com"),
            (Domain, "evil[.]example[.]com", "evil.example.com"),
            (Url, "hxxps://Evil.Example.com/Login?a=B", "https://evil.example.com/Login?a=B"),
            (Url, "http://203.0.113.7:8080/x", "http://203.0.113.7:8080/x"),
            (Hash, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
            (Email, "CEO@Example.COM", "CEO@example.com"),
            (FileName, "invoice.pdf.exe", "invoice.pdf.exe"),
            (Account, "CORP\\svc-backup", "CORP\\svc-backup"),
        ];
        for (kind, input, expected) in cases {
            assert_eq!(normalise(kind, input).as_deref(), Ok(expected), "{kind} {input}");
        }
    }

    #[test]
    fn malformed_values_are_refused() {
        let cases = [
            (Ip, "999.1.1.1"),
            (Ip, "10.0.0.1/33"),
            (Ip, "evil.com"),
            (Domain, "localhost"),
            (Domain, "-bad-.com"),
            (Domain, "exa mple.com"),
            (Url, "evil.example.com/login"),
            (Url, "https:// spaced.com"),
            (Hash, "abc123"),
            (Hash, "z41d8cd98f00b204e9800998ecf8427e"),
            (Email, "no-at-sign.example.com"),
            (Email, "user@nodot"),
            (FileName, "C:/temp/evil.exe"),
            (Account, ""),
        ];
        for (kind, input) in cases {
            assert!(normalise(kind, input).is_err(), "{kind} {input:?} should be refused");
        }
    }

    #[test]
    fn the_form_reports_the_value_field_and_checks_seen_order() {
        let form = IndicatorForm { kind: "ip".into(), value: "1.2.3".into(), ..Default::default() };
        let e = form.parse().unwrap_err();
        assert!(e.get("value").is_some());
        let form = IndicatorForm {
            kind: "domain".into(),
            value: "evil.example".into(),
            tlp: "".into(),
            first_seen: "2026-03-02T00:00".into(),
            last_seen: "2026-03-01T00:00".into(),
        };
        assert!(form.parse().unwrap_err().get("last_seen").is_some());
    }

    #[test]
    fn merging_widens_the_seen_window() {
        use chrono::TimeZone;
        let t = |d| Some(Utc.with_ymd_and_hms(2026, 3, d, 0, 0, 0).unwrap());
        assert_eq!(merge_seen((t(5), t(6)), (t(2), t(4))), (t(2), t(6)));
        assert_eq!(merge_seen((None, None), (t(2), None)), (t(2), None));
    }
}
