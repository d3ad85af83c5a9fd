//! Impact (NIST SP 800-61's three dimensions), urgency, and the matrix that
//! turns them into a priority P1–P4.
//!
//! Overall impact is the worst of the three dimensions, raised to Critical when
//! two or more dimensions are High or worse:
//!
//! | dimension       | Low                   | Medium        | High                           | Critical        |
//! |-----------------|-----------------------|---------------|--------------------------------|-----------------|
//! | functional      | none, low             | medium        | high                           |                 |
//! | information     | none                  | proprietary   | privacy breach, integrity loss |                 |
//! | recoverability  | regular               | supplemented  | extended                       | not recoverable |
//!
//! Priority = matrix[impact][urgency]:
//!
//! | impact \ urgency | High | Medium | Low |
//! |------------------|------|--------|-----|
//! | Critical         | P1   | P1     | P2  |
//! | High             | P1   | P2     | P3  |
//! | Medium           | P2   | P3     | P4  |
//! | Low              | P3   | P4     | P4  |

use super::code_enum;

code_enum! {
    /// Effect on the organisation's ability to provide services.
    FunctionalImpact {
        None => ("none", "None"),
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
    }
}

code_enum! {
    /// Effect on the confidentiality, integrity and availability of information.
    InformationImpact {
        None => ("none", "None"),
        PrivacyBreach => ("privacy_breach", "Privacy breach"),
        ProprietaryBreach => ("proprietary_breach", "Proprietary breach"),
        IntegrityLoss => ("integrity_loss", "Integrity loss"),
    }
}

code_enum! {
    /// How much effort recovery from the incident takes.
    Recoverability {
        Regular => ("regular", "Regular"),
        Supplemented => ("supplemented", "Supplemented"),
        Extended => ("extended", "Extended"),
        NotRecoverable => ("not_recoverable", "Not recoverable"),
    }
}

code_enum! {
    /// How quickly the incident must be acted on.
    Urgency {
        High => ("high", "High"),
        Medium => ("medium", "Medium"),
        Low => ("low", "Low"),
    }
}

code_enum! {
    /// Overall impact, derived from the three dimensions.
    ImpactLevel {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
        Critical => ("critical", "Critical"),
    }
}

code_enum! {
    /// The priority that orders the response, P1 most urgent.
    Priority {
        P1 => ("P1", "P1"),
        P2 => ("P2", "P2"),
        P3 => ("P3", "P3"),
        P4 => ("P4", "P4"),
    }
}

impl FunctionalImpact {
    fn level(self) -> ImpactLevel {
        match self {
            Self::None | Self::Low => ImpactLevel::Low,
            Self::Medium => ImpactLevel::Medium,
            Self::High => ImpactLevel::High,
        }
    }
}

impl InformationImpact {
    fn level(self) -> ImpactLevel {
        match self {
            Self::None => ImpactLevel::Low,
            Self::ProprietaryBreach => ImpactLevel::Medium,
            Self::PrivacyBreach | Self::IntegrityLoss => ImpactLevel::High,
        }
    }
}

impl Recoverability {
    fn level(self) -> ImpactLevel {
        match self {
            Self::Regular => ImpactLevel::Low,
            Self::Supplemented => ImpactLevel::Medium,
            Self::Extended => ImpactLevel::High,
            Self::NotRecoverable => ImpactLevel::Critical,
        }
    }
}

/// The overall impact of an incident (see the module docs for the rule).
pub fn overall_impact(f: FunctionalImpact, i: InformationImpact, r: Recoverability) -> ImpactLevel {
    let levels = [f.level(), i.level(), r.level()];
    let worst = levels.iter().copied().max().unwrap_or(ImpactLevel::Low);
    let high_or_worse = levels.iter().filter(|l| **l >= ImpactLevel::High).count();
    if high_or_worse >= 2 { ImpactLevel::Critical } else { worst }
}

/// The priority matrix.
pub fn priority(impact: ImpactLevel, urgency: Urgency) -> Priority {
    use ImpactLevel as I;
    use Priority::*;
    use Urgency as U;
    match (impact, urgency) {
        (I::Critical, U::High | U::Medium) => P1,
        (I::Critical, U::Low) => P2,
        (I::High, U::High) => P1,
        (I::High, U::Medium) => P2,
        (I::High, U::Low) => P3,
        (I::Medium, U::High) => P2,
        (I::Medium, U::Medium) => P3,
        (I::Medium, U::Low) => P4,
        (I::Low, U::High) => P3,
        (I::Low, U::Medium | U::Low) => P4,
    }
}

/// Priority straight from the three impact dimensions and urgency.
pub fn compute_priority(f: FunctionalImpact, i: InformationImpact, r: Recoverability, u: Urgency) -> Priority {
    priority(overall_impact(f, i, r), u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Code;

    #[test]
    fn the_matrix_matches_the_documented_table() {
        use ImpactLevel as I;
        use Priority::*;
        use Urgency as U;
        let table =
            [(I::Critical, [P1, P1, P2]), (I::High, [P1, P2, P3]), (I::Medium, [P2, P3, P4]), (I::Low, [P3, P4, P4])];
        for (impact, row) in table {
            for (urgency, expected) in [U::High, U::Medium, U::Low].into_iter().zip(row) {
                assert_eq!(priority(impact, urgency), expected, "{impact} × {urgency}");
            }
        }
    }

    #[test]
    fn overall_impact_is_the_worst_dimension() {
        use FunctionalImpact as F;
        use InformationImpact as In;
        use Recoverability as R;
        assert_eq!(overall_impact(F::None, In::None, R::Regular), ImpactLevel::Low);
        assert_eq!(overall_impact(F::Medium, In::None, R::Regular), ImpactLevel::Medium);
        assert_eq!(overall_impact(F::Low, In::ProprietaryBreach, R::Regular), ImpactLevel::Medium);
        assert_eq!(overall_impact(F::Low, In::PrivacyBreach, R::Supplemented), ImpactLevel::High);
        assert_eq!(overall_impact(F::None, In::None, R::NotRecoverable), ImpactLevel::Critical);
    }

    #[test]
    fn two_high_dimensions_make_the_impact_critical() {
        assert_eq!(
            overall_impact(FunctionalImpact::High, InformationImpact::PrivacyBreach, Recoverability::Regular),
            ImpactLevel::Critical
        );
        assert_eq!(
            compute_priority(
                FunctionalImpact::High,
                InformationImpact::IntegrityLoss,
                Recoverability::Regular,
                Urgency::Low
            ),
            Priority::P2
        );
    }

    #[test]
    fn a_quiet_incident_is_p4_and_a_ransomware_outage_is_p1() {
        assert_eq!(
            compute_priority(FunctionalImpact::None, InformationImpact::None, Recoverability::Regular, Urgency::Low),
            Priority::P4
        );
        assert_eq!(
            compute_priority(
                FunctionalImpact::High,
                InformationImpact::IntegrityLoss,
                Recoverability::Extended,
                Urgency::High
            ),
            Priority::P1
        );
    }

    #[test]
    fn every_combination_has_a_priority() {
        let mut seen = std::collections::HashSet::new();
        for f in FunctionalImpact::ALL {
            for i in InformationImpact::ALL {
                for r in Recoverability::ALL {
                    for u in Urgency::ALL {
                        seen.insert(compute_priority(*f, *i, *r, *u));
                    }
                }
            }
        }
        assert_eq!(seen.len(), 4, "every priority is reachable");
    }
}
