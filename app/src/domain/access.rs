//! Accounts and access: roles, what each role may do, who may see an
//! incident, and the rules for usernames and passwords that do not need a
//! server (the common-password list lives on the server).

use super::{Code, FieldErrors, code_enum};
use serde::{Deserialize, Serialize};

code_enum! {
    /// What a user is in the organisation's response.
    Role {
        Admin => ("admin", "Admin"),
        Commander => ("commander", "Incident commander"),
        Responder => ("responder", "Responder"),
        /// Read-only across incidents; watches the status board.
        Manager => ("manager", "Manager"),
        /// Reports suspected incidents; sees those they reported or are invited to.
        Staff => ("staff", "Staff"),
    }
}

code_enum! {
    /// Everything a caller can ask the server to do, for the role table.
    Action {
        /// See the board, incident pages and their lists (subject to need-to-know).
        ViewIncidents => ("view_incidents", "view incidents"),
        /// Report a new (suspected) incident.
        ReportIncident => ("report_incident", "report an incident"),
        /// Edit fields, move phases, and record work on an incident: timeline,
        /// checklist, indicators, evidence, scope.
        WorkOnIncident => ("work_on_incident", "work on an incident"),
        /// Mark an incident restricted and choose its members.
        ManageMembers => ("manage_members", "manage incident members"),
        /// Publish the response plan; edit the roster, stakeholders and readiness checklist.
        ManagePreparation => ("manage_preparation", "manage preparation"),
        /// Fill in an incident's lessons-learned review and its action items.
        ContributeLessons => ("contribute_lessons", "contribute to lessons learned"),
        /// Approve a stakeholder update for sending.
        ApproveUpdates => ("approve_updates", "approve stakeholder updates"),
        /// Create, edit and retire playbooks.
        ManagePlaybooks => ("manage_playbooks", "manage playbooks"),
        /// Add and retire notification regimes; keep the holiday calendar.
        ManageRegimes => ("manage_regimes", "manage notification regimes"),
        /// Search indicators across incidents.
        SearchIndicators => ("search_indicators", "search indicators"),
        /// Create, disable and reset users; change roles.
        ManageUsers => ("manage_users", "manage users"),
        /// Read the audit log and its chain status.
        ViewAudit => ("view_audit", "view the audit log"),
    }
}

/// The role × action table. Need-to-know (restricted incidents, Staff seeing
/// only their own) is checked on top of this by [`can_see`].
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ViewIncidents => true,
        ReportIncident | ContributeLessons => matches!(role, Admin | Commander | Responder | Staff),
        WorkOnIncident => matches!(role, Admin | Commander | Responder),
        ManageMembers | ManagePreparation | ApproveUpdates => matches!(role, Admin | Commander),
        SearchIndicators => matches!(role, Admin | Commander | Responder | Manager),
        ManageUsers | ViewAudit | ManagePlaybooks | ManageRegimes => role == Admin,
    }
}

/// Whether a user with `role` may see an incident at all. Admins see
/// everything; a restricted incident is seen only by its members; Staff see
/// only incidents they are members of (reporters are members).
pub fn can_see(role: Role, restricted: bool, is_member: bool) -> bool {
    match role {
        Role::Admin => true,
        _ if is_member => true,
        Role::Staff => false,
        Role::Commander | Role::Responder | Role::Manager => !restricted,
    }
}

/// Whether the role sees every unrestricted incident (rather than only those
/// it is a member of).
pub fn sees_all_unrestricted(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::Responder | Role::Manager)
}

/// The signed-in user as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub totp_enabled: bool,
}

impl CurrentUser {
    pub fn may(&self, action: Action) -> bool {
        allows(self.role, action)
    }
}

/// A user as listed on the admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub totp_enabled: bool,
}

/// Shortest password accepted (ASVS 6.2.1); the UI recommends [`RECOMMENDED_PASSWORD_LENGTH`].
pub const MIN_PASSWORD_LENGTH: usize = 8;
pub const RECOMMENDED_PASSWORD_LENGTH: usize = 15;
/// Longest password accepted: well above the 64 ASVS requires, and bounded
/// so hashing cost stays bounded.
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// Length rules only, counted in characters; no composition rules (ASVS
/// 6.2.5). The server also refuses common passwords.
pub fn check_password_length(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LENGTH {
        Err(format!(
            "Use at least {MIN_PASSWORD_LENGTH} characters ({RECOMMENDED_PASSWORD_LENGTH} or more is better; a few words make a good one)."
        ))
    } else if n > MAX_PASSWORD_LENGTH {
        Err(format!("Use at most {MAX_PASSWORD_LENGTH} characters."))
    } else {
        Ok(())
    }
}

/// Usernames: 2–64 characters of lowercase letters, digits, `.`, `_`, `-`
/// (case is folded, so `Alice` and `alice` are one account).
pub fn normalise_username(raw: &str) -> Result<String, String> {
    let u = raw.trim().to_lowercase();
    if u.chars().count() < 2 || u.chars().count() > 64 {
        return Err("Use 2 to 64 characters.".into());
    }
    if !u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@')) {
        return Err("Use letters, digits, and . _ - @ only.".into());
    }
    Ok(u)
}

/// A new account, as typed on the admin page or the first-run page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserForm {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    pub password: String,
}

/// A new account, validated except for the common-password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

impl NewUserForm {
    /// Validates every field; `forced_role` is used by the first-run page.
    pub fn parse(&self, forced_role: Option<Role>) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::new();
        let username = errors.check("username", normalise_username(&self.username));
        let display_name = self.display_name.trim().to_owned();
        if display_name.is_empty() {
            errors.add("display_name", "Enter the name shown to others.");
        } else if display_name.chars().count() > 100 {
            errors.add("display_name", "Use at most 100 characters.");
        }
        let role = match forced_role {
            Some(r) => Some(r),
            None => {
                let r = Role::from_code(self.role.trim());
                if r.is_none() {
                    errors.add("role", "Choose a role from the list.");
                }
                r
            }
        };
        errors.check("password", check_password_length(&self.password));
        errors.finish(|| {
            Some(NewUser { username: username?, display_name, role: role?, password: self.password.clone() })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_change_nothing_and_staff_only_report_and_contribute_lessons() {
        for action in Action::ALL {
            let writes = !matches!(action, Action::ViewIncidents | Action::SearchIndicators | Action::ViewAudit);
            if writes {
                assert!(!allows(Role::Manager, *action), "manager may {action}");
            }
        }
        let staff: Vec<_> = Action::ALL.iter().filter(|a| allows(Role::Staff, **a)).collect();
        assert_eq!(staff, [&Action::ViewIncidents, &Action::ReportIncident, &Action::ContributeLessons]);
        assert!(Action::ALL.iter().all(|a| allows(Role::Admin, *a)));
    }

    #[test]
    fn restricted_incidents_are_seen_by_members_and_admins_only() {
        for role in Role::ALL {
            assert_eq!(can_see(*role, true, false), *role == Role::Admin, "{role}");
            assert!(can_see(*role, true, true));
        }
        assert!(!can_see(Role::Staff, false, false));
        assert!(can_see(Role::Manager, false, false));
    }

    #[test]
    fn passwords_have_length_rules_only() {
        assert!(check_password_length("short").is_err());
        assert!(check_password_length("eightchr").is_ok());
        assert!(check_password_length(&"a".repeat(64)).is_ok());
        assert!(check_password_length(&"a".repeat(256)).is_ok());
        assert!(check_password_length(&"a".repeat(257)).is_err());
        // Characters, not bytes.
        assert!(check_password_length("ééééééé").is_err());
    }

    #[test]
    fn usernames_fold_case_and_refuse_odd_characters() {
        assert_eq!(normalise_username("  Alice.B ").as_deref(), Ok("alice.b"));
        assert!(normalise_username("a").is_err());
        assert!(normalise_username("bob smith").is_err());
        assert!(normalise_username("<script>").is_err());
    }

    #[test]
    fn the_form_reports_every_field() {
        let form =
            NewUserForm { username: "x".into(), display_name: " ".into(), role: "boss".into(), password: "1".into() };
        let errors = form.parse(None).unwrap_err();
        for field in ["username", "display_name", "role", "password"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let ok = NewUserForm {
            username: "Ann".into(),
            display_name: "Ann Lee".into(),
            role: String::new(),
            password: "correct horse".into(),
        };
        assert_eq!(ok.parse(Some(Role::Admin)).unwrap().role, Role::Admin);
    }
}
