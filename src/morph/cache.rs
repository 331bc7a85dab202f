//! The unit cache: analysed units by their text, shared by all threads, within a memory budget.
//!
//! Takes unit texts and the [`Unit`]s built for them; gives them back for the same text, and
//! tells whether a text not tabulated yet was met before (a unit is tabulated when met again). Most
//! eojeols of news repeat an earlier one (`기자`, `밝혔다.`, `카카오의`), and a unit's analysis
//! depends only on its text (`lattice.rs`), so a hit is exactly what building it again would give:
//! the cache changes speed, never output.
//!
//! Guarantees: at most `budget` bytes of units and keys are held (a shard over its share is
//! emptied, which costs only rebuilds); lookups from several threads are safe.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::{xxh3_64, Xxh3DefaultBuilder};

use super::lattice::Unit;

/// Shards, so two threads rarely wait for one lock.
const SHARDS: usize = 64;

/// What a text met once costs the budget.
const SEEN_BYTES: usize = 24;

/// Units longer than this are not kept: they seldom repeat.
pub(crate) const MAX_KEY_BYTES: usize = 96;

/// The default memory budget: room for a few hundred thousand distinct eojeols.
pub const DEFAULT_BUDGET: usize = 256 << 20;

#[derive(Default)]
struct Shard {
    units: HashMap<Box<str>, Arc<Unit>, Xxh3DefaultBuilder>,
    /// Hashes of texts met once: a unit is tabulated the second time it is met, so that the
    /// many words met only once cost one pass in context, not a table.
    seen: HashSet<u64, Xxh3DefaultBuilder>,
    bytes: usize,
}

/// What the cache knows of a unit's text.
pub(crate) enum Found {
    Unit(Arc<Unit>),
    /// Met before, not tabulated yet.
    Seen,
    /// Not met before (now it has been).
    New,
}

pub(crate) struct Cache {
    shards: Box<[Mutex<Shard>]>,
    shard_budget: usize,
}

impl Cache {
    /// A cache holding at most `budget` bytes; 0 turns it off.
    pub(crate) fn new(budget: usize) -> Cache {
        Cache {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            shard_budget: budget / SHARDS,
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.shard_budget > 0
    }

    fn shard(&self, text: &str) -> &Mutex<Shard> {
        &self.shards[xxh3_64(text.as_bytes()) as usize % SHARDS]
    }

    /// Looks `text` up, noting it as met.
    pub(crate) fn find(&self, text: &str) -> Found {
        let hash = xxh3_64(text.as_bytes());
        let mut shard = self.shards[hash as usize % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(unit) = shard.units.get(text) {
            return Found::Unit(Arc::clone(unit));
        }
        if shard.seen.contains(&hash) {
            return Found::Seen;
        }
        if shard.bytes + SEEN_BYTES > self.shard_budget {
            shard.units.clear();
            shard.seen.clear();
            shard.bytes = 0;
        }
        shard.seen.insert(hash);
        shard.bytes += SEEN_BYTES;
        Found::New
    }

    pub(crate) fn insert(&self, text: &str, unit: Arc<Unit>) {
        let bytes = text.len() + unit.size() + 64;
        let mut shard = self.shard(text).lock().unwrap_or_else(|e| e.into_inner());
        if shard.bytes + bytes > self.shard_budget {
            shard.units.clear();
            shard.seen.clear();
            shard.bytes = 0;
        }
        if shard.units.insert(text.into(), unit).is_none() {
            shard.bytes += bytes;
        }
    }
}
