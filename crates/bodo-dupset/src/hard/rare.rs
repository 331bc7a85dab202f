//! The rare outlets' articles, for the hard labelled set.
//!
//! Takes the set as made so far; gives each of the table's rare outlets 2–5 articles in the
//! whole set, so that no count over the dump can learn their long small-site templates:
//! - `rare-outlet-flash`: a flash of a full story (its lead), far shorter than the outlet's
//!   trailer;
//! - `rare-outlet-copy`: a full story printed whole (or copy-edited, or shortened);
//! - `hard-negative-rare-flash`: every other rare outlet first prints two flash-only stories
//!   of its own on two days 1–30 days apart, so its two articles share nothing but its
//!   template, which is most of each.
//!
//! Guarantees: a rare outlet prints between 2 and 5 articles (copies of the flash-only
//! stories go to other outlets); a copy or flash that would come within
//! [`super::NEIGHBOUR_MAX`] of another story is not printed, another is drawn.

use rand::seq::IndexedRandom;
use rand::Rng;

use super::{flash_title, outlets, text_set, Hard, Source, DAYS, NEIGHBOUR_MAX};
use crate::transform;

/// Flash-only stories the rare outlets print (two for every other one of them).
pub const RARE_FLASHES: usize = 2 * outlets::RARE.div_ceil(2);

impl Hard {
    /// Every rare outlet's articles (see the module's doc).
    pub(super) fn rare_outlets(&mut self) {
        let table = outlets::outlets();
        let rare: Vec<usize> = (0..table.len()).filter(|&o| table[o].rare).collect();
        for (k, &r) in rare.iter().enumerate() {
            let n = self.b.rng.random_range(2..=5);
            let mut made = 0;
            if k % 2 == 0 {
                let first = self.b.rng.random_range(0..DAYS - 31);
                let second = first + self.b.rng.random_range(1..=30);
                for day in [first, second] {
                    made += usize::from(self.flash_story_by("hard-negative-rare-flash", r, day));
                }
            }
            // The first one is a flash: a rare outlet's flash is the case its template hurts most.
            let mut flash = true;
            for _ in 0..20 {
                if made >= n {
                    break;
                }
                if self.rare_copy(r, flash) {
                    made += 1;
                    flash = self.b.rng.random_bool(0.5);
                }
            }
        }
    }

    /// A flash or a copy of a random full story by rare outlet `r`; `false` when the one drawn
    /// would come too close to another story.
    fn rare_copy(&mut self, r: usize, flash: bool) -> bool {
        let candidates: Vec<usize> = (0..self.b.stories.len())
            .filter(|&g| self.meta[g].source == Source::Full && (!flash || self.meta[g].lead > 0))
            .collect();
        let Some(&gold) = candidates.choose(&mut self.b.rng) else {
            return false;
        };
        let (draft, day) = {
            let s = &self.b.stories[gold];
            (
                s.draft.clone(),
                s.day + u32::from(self.b.rng.random_bool(0.3)),
            )
        };
        let (kind, title, body) = if flash {
            let lead = self.flash_lead(gold);
            let title = flash_title(&mut self.b.rng, &draft.title);
            ("rare-outlet-flash", title, lead.join(" "))
        } else {
            let how = *["whole", "whole", "edited", "dropped-paragraph"]
                .choose(&mut self.b.rng)
                .expect("ways");
            let (title, body) = match how {
                "whole" => (draft.title.clone(), draft.render()),
                other => transform(&mut self.b.rng, other, draft),
            };
            ("rare-outlet-copy", title, body)
        };
        if self.texts.closest(&text_set(&body), &[gold]) >= NEIGHBOUR_MAX {
            return false;
        }
        let printed = self.print(r, &title, &body, day);
        let name = outlets::outlets()[r].name.clone();
        self.emit(gold, kind, title, printed, &name, day);
        true
    }
}
