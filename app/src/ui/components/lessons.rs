//! A recorded lessons-learned review, read-only (the lessons page for
//! managers, and the post-incident report). Empty sections are left out.

use crate::domain::lessons::Lessons;
use leptos::prelude::*;

#[component]
pub fn LessonsDetails(lessons: Lessons, testid: &'static str) -> impl IntoView {
    let part = |label: &'static str, text: String| {
        (!text.trim().is_empty()).then(|| {
            view! { <div><dt class="font-medium">{label}</dt><dd class="whitespace-pre-wrap">{text}</dd></div> }
        })
    };
    let held = lessons.review_held_on.map(|d| d.to_string()).unwrap_or_else(|| "Not yet".into());
    view! {
        <dl class="space-y-2" data-testid=testid>
            {part("Summary", lessons.summary)}
            {part("What went well", lessons.went_well)}
            {part("What went wrong", lessons.went_wrong)}
            {part("Root cause", lessons.root_cause)}
            {part("Contributing factors", lessons.contributing_factors)}
            {part("Detection gaps", lessons.detection_gaps)}
            {part("Recommendations", lessons.recommendations)}
            {part("Review held on", held)}
            {part("Who took part", lessons.attendees)}
        </dl>
    }
}
