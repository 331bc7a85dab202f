//! The unit cache: analysed units by their text, shared by all threads, within a memory budget.
//!
//! Takes unit texts and the [`Unit`]s built for them; gives them back for the same text, and
//! tells whether a text not tabulated yet has been met often enough to be worth a table. Most
//! eojeols of news repeat an earlier one (`기자`, `밝혔다.`, `카카오의`), and a unit's analysis
//! depends only on its text (`lattice.rs`), so a hit is exactly what building it again would give:
//! the cache changes speed, never output.
//!
//! Guarantees: at most `budget` bytes of units are held (a shard over its share is emptied,
//! which costs only rebuilds), besides 4 MB of meeting counts; lookups from several threads are
//! safe.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::AtomicU8;
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::xxh3_64;

use super::lattice::Unit;

/// Shards, so two threads rarely wait for one lock.
const SHARDS: usize = 64;

/// Meeting counts kept, a byte each: a few million distinct units before most share a count (a
/// shared count only brings a table forward).
const MEETINGS: usize = 1 << 22;

/// Units longer than this are not kept: they seldom repeat.
pub(crate) const MAX_KEY_BYTES: usize = 96;

/// The default memory budget: room for a few hundred thousand distinct eojeols.
pub const DEFAULT_BUDGET: usize = 256 << 20;

/// The meeting at which a unit is tabulated by default; before it, it is analysed in context.
///
/// A table costs about three passes in context (every way in is followed) and most units met a
/// few times are not met many more, so tables pay only for units that keep coming back. On the
/// 10k-article news corpus, one thread, the stage took 6.6–7.2 s tabulating at the 2nd
/// meeting, 5.3–5.8 s at the 3rd, 4.7–5.0 s at the 6th and 8th, 4.8–5.3 s at the 12th
/// (docs/morphology.md; `cargo bench --bench morphology` shows the 2nd beside the default).
pub const TABULATE_AT: u8 = 6;

/// The shards' keys are already xxh3 hashes of the text: hashing them again would only cost.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Default)]
struct Shard {
    /// By the text's xxh3 hash. Two texts of one hash share a slot: the unit's text is
    /// compared, so a collision costs a rebuild, never a wrong unit.
    slots: HashMap<u64, Arc<Unit>, BuildHasherDefault<Prehashed>>,
    bytes: usize,
}

impl Shard {
    fn make_room(&mut self, bytes: usize, budget: usize) {
        if self.bytes + bytes > budget {
            self.slots.clear();
            self.bytes = 0;
        }
    }
}

/// What the cache knows of a unit's text.
pub(crate) enum Found {
    Unit(Arc<Unit>),
    /// Met often enough now: worth a table.
    Tabulate,
    /// Not met often enough yet (this meeting is counted).
    Rare,
}

pub(crate) struct Cache {
    shards: Box<[Mutex<Shard>]>,
    /// How often each text was met, by hash (texts of one hash share a count).
    meetings: Box<[AtomicU8]>,
    shard_budget: usize,
    tabulate_at: u8,
}

impl Cache {
    /// A cache holding at most `budget` bytes (0 turns it off) that tabulates a unit at its
    /// `tabulate_at`-th meeting (at least the 2nd: a unit met once is never worth a table; at
    /// most the 254th).
    pub(crate) fn new(budget: usize, tabulate_at: u8) -> Cache {
        Cache {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            meetings: (0..if budget == 0 { 1 } else { MEETINGS })
                .map(|_| AtomicU8::new(0))
                .collect(),
            shard_budget: budget / SHARDS,
            tabulate_at: tabulate_at.clamp(2, 254),
        }
    }

    /// The budget it was made with (rounded down to a multiple of its shards).
    pub(crate) fn budget(&self) -> usize {
        self.shard_budget * SHARDS
    }

    pub(crate) fn enabled(&self) -> bool {
        self.shard_budget > 0
    }

    fn shard(&self, hash: u64) -> std::sync::MutexGuard<'_, Shard> {
        // The low bits pick the slot inside a shard's table; the high ones pick the shard.
        self.shards[(hash >> 58) as usize % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Looks `text` up, counting this meeting; `hash` is [`hash`]`(text)`. Texts of one hash
    /// share their count: a collision only moves the meeting at which one is tabulated.
    pub(crate) fn find(&self, text: &str, hash: u64) -> Found {
        use std::sync::atomic::Ordering::Relaxed;
        // Meetings so far. A count grows until `tabulate_at` (threads adding at once may pass
        // it by one each), and a unit is tabulated only once its count has reached
        // `tabulate_at - 1`, so a smaller count means no table: rare units never take the lock.
        let met = &self.meetings[hash as usize & (self.meetings.len() - 1)];
        let before = met.load(Relaxed);
        if before < self.tabulate_at {
            met.fetch_add(1, Relaxed);
        }
        if before.saturating_add(1) < self.tabulate_at {
            return Found::Rare;
        }
        match self.shard(hash).slots.get(&hash) {
            Some(unit) if *unit.text == *text => Found::Unit(Arc::clone(unit)),
            _ => Found::Tabulate,
        }
    }

    /// Empties the cache, freeing what it held on another thread: hundreds of thousands of
    /// small tables take a noticeable time to free, which the run need not wait for.
    pub(crate) fn release(&self) {
        let held: Vec<Shard> = self
            .shards
            .iter()
            .map(|shard| std::mem::take(&mut *shard.lock().unwrap_or_else(|e| e.into_inner())))
            .collect();
        std::thread::spawn(move || drop(held));
    }

    /// Keeps `unit`; `hash` is [`hash`] of its text.
    pub(crate) fn insert(&self, hash: u64, unit: Arc<Unit>) {
        let bytes = unit.size() + 64;
        let mut shard = self.shard(hash);
        shard.make_room(bytes, self.shard_budget);
        shard.slots.insert(hash, unit);
        shard.bytes += bytes;
    }
}

/// The key of a unit's text in [`Cache`].
pub(crate) fn hash(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}
