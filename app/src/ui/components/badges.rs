//! Small coloured labels for priority, TLP and phase. Colours meet WCAG AA
//! contrast in both themes; the text carries the meaning, not the colour.

use crate::domain::{Phase, Priority, Tlp};
use leptos::prelude::*;

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let class = match priority {
        Priority::P1 => "bg-red-700 text-white",
        Priority::P2 => "bg-orange-700 text-white",
        Priority::P3 => "bg-amber-200 text-amber-950",
        Priority::P4 => "bg-slate-200 text-slate-900",
    };
    view! {
        <span class=format!("badge {class}") title="Priority">{priority.to_string()}</span>
    }
}

#[component]
pub fn TlpBadge(tlp: Tlp) -> impl IntoView {
    let class = match tlp {
        Tlp::Clear => "bg-white text-slate-900 ring-1 ring-slate-400",
        Tlp::Green => "bg-green-800 text-white",
        Tlp::Amber | Tlp::AmberStrict => "bg-amber-300 text-black",
        Tlp::Red => "bg-red-800 text-white",
    };
    view! { <span class=format!("badge {class}")>{tlp.to_string()}</span> }
}

#[component]
pub fn PhaseBadge(phase: Phase) -> impl IntoView {
    view! {
        <span class="badge bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-50">{phase.to_string()}</span>
    }
}
