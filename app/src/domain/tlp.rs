//! The Traffic Light Protocol marking (FIRST TLP 2.0), which governs how far
//! an incident's details may be shared outside the response team.

use super::code_enum;

code_enum! {
    /// TLP 2.0 marking.
    Tlp {
        Clear => ("clear", "TLP:CLEAR"),
        Green => ("green", "TLP:GREEN"),
        Amber => ("amber", "TLP:AMBER"),
        AmberStrict => ("amber_strict", "TLP:AMBER+STRICT"),
        Red => ("red", "TLP:RED"),
    }
}
