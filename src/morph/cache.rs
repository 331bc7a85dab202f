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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::xxh3_64;

use super::lattice::Unit;

/// Shards, so two threads rarely wait for one lock.
const SHARDS: usize = 64;

/// What a text met once costs the budget.
const SEEN_BYTES: usize = 24;

/// Units longer than this are not kept: they seldom repeat.
pub(crate) const MAX_KEY_BYTES: usize = 96;

/// The default memory budget: room for a few hundred thousand distinct eojeols.
pub const DEFAULT_BUDGET: usize = 256 << 20;

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

/// A text met before: once (a table is built when it is met again), or tabulated.
enum Slot {
    Seen,
    Unit(Box<str>, Arc<Unit>),
}

#[derive(Default)]
struct Shard {
    /// By the text's xxh3 hash. Two texts of one hash share a slot: the text kept with a unit
    /// is compared, so a collision costs a rebuild, never a wrong unit.
    slots: HashMap<u64, Slot, BuildHasherDefault<Prehashed>>,
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

    fn shard(&self, hash: u64) -> std::sync::MutexGuard<'_, Shard> {
        // The low bits pick the slot inside a shard's table; the high ones pick the shard.
        self.shards[(hash >> 58) as usize % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Looks `text` up, noting it as met.
    pub(crate) fn find(&self, text: &str) -> Found {
        let hash = xxh3_64(text.as_bytes());
        let mut shard = self.shard(hash);
        match shard.slots.get(&hash) {
            Some(Slot::Unit(key, unit)) if **key == *text => return Found::Unit(Arc::clone(unit)),
            Some(_) => return Found::Seen,
            None => {}
        }
        shard.make_room(SEEN_BYTES, self.shard_budget);
        shard.slots.insert(hash, Slot::Seen);
        shard.bytes += SEEN_BYTES;
        Found::New
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

    pub(crate) fn insert(&self, text: &str, unit: Arc<Unit>) {
        let hash = xxh3_64(text.as_bytes());
        let bytes = text.len() + unit.size() + 64;
        let mut shard = self.shard(hash);
        shard.make_room(bytes, self.shard_budget);
        shard.slots.insert(hash, Slot::Unit(text.into(), unit));
        shard.bytes += bytes;
    }
}
