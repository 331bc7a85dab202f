//! The story store: what pass 3 learned about each story, kept on disk until the run knows which
//! stories are on topic.
//!
//! Takes, for each analysed story (a representative, in run order), its keyword counts and its
//! entity mentions ([`StoryRows`], from whichever driver analysed it); gives them back, as often as needed, as [`StoryRecord`]s of interned ids.
//!
//! Why on disk: relevance needs the whole dump's keyword centroid before any story can be
//! scored, and the tables leave off-topic stories out, so each story's terms are needed again
//! after the pass. Holding every story's terms in memory would grow with the dump; a temporary
//! file of `u32`s costs a sequential read per use. Ids are given in order of first appearance
//! in run order (within a story, keywords in sorted order), which every driver preserves, so
//! they do not depend on the thread count or on who analysed the stories.

use rustc_hash::FxHashMap;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use crate::analyse::StoryRows;
use crate::entities::EntityType;
use crate::error::{Error, Result};

/// Strings to dense ids and back.
#[derive(Debug, Clone)]
pub struct Vocabulary<K> {
    ids: FxHashMap<K, u32>,
    names: Vec<K>,
}

impl<K> Default for Vocabulary<K> {
    fn default() -> Self {
        Vocabulary {
            ids: FxHashMap::default(),
            names: Vec::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Vocabulary<K> {
    /// The id of `key`, given it if it is new (`&str` for a `String` key: no allocation when the
    /// key is known).
    pub fn intern<Q>(&mut self, key: &Q) -> u32
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(key.to_owned(), id);
        self.names.push(key.to_owned());
        id
    }

    pub fn get(&self, key: &K) -> Option<u32> {
        self.ids.get(key).copied()
    }

    pub fn name(&self, id: u32) -> &K {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One story as the store keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryRecord {
    /// The representative's article position (index among readable articles).
    pub position: u32,
    /// (term id, occurrences), sorted by id.
    pub terms: Vec<(u32, u32)>,
    /// (entity id, mentions), sorted by id.
    pub entities: Vec<(u32, u32)>,
    /// (entity id, surface id) for mentions written differently from the canonical name.
    pub aliases: Vec<(u32, u32)>,
}

/// The stories of a run on disk, plus the vocabularies their ids point into.
pub struct StoryStore {
    writer: BufWriter<std::fs::File>,
    /// Per story, in store order, its representative's article position.
    pub positions: Vec<u32>,
    pub terms: Vocabulary<String>,
    pub entities: Vocabulary<(EntityType, String)>,
    pub surfaces: Vocabulary<String>,
    /// Per term id: how it was tagged (noun tag sequence or entity type) and how often.
    pub kinds: Vec<Vec<(u32, u64)>>,
    pub kind_names: Vocabulary<String>,
}

fn io(e: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("bodo story store"), e)
}

impl StoryStore {
    /// Interns one analysed story's keywords and entities, appends it to the store (its
    /// representative at article `position`) and counts its terms into `df` (stories per term
    /// id). `record` is scratch space, reused between stories.
    pub fn add(
        &mut self,
        record: &mut StoryRecord,
        position: usize,
        story: &StoryRows,
        df: &mut Vec<u64>,
    ) -> Result<()> {
        self.intern(record, position, story, df);
        self.push(record)
    }

    /// [`StoryStore::add`] without the append: `record` is the story in this store's ids (what
    /// an engine's task does with a batch of stories, ids local to the task).
    pub fn intern(
        &mut self,
        record: &mut StoryRecord,
        position: usize,
        story: &StoryRows,
        df: &mut Vec<u64>,
    ) {
        record.position = position as u32;
        record.terms.clear();
        // Rows come sorted by keyword: a keyword's kinds are adjacent.
        for &(keyword, kind, n) in &story.keywords {
            let id = self.terms.intern(keyword);
            self.tally_kind(id, kind, n);
            match record.terms.last_mut() {
                Some((t, m)) if *t == id => *m += n as u32,
                _ => record.terms.push((id, n as u32)),
            }
        }
        record.terms.sort_unstable();
        if df.len() < self.terms.len() {
            df.resize(self.terms.len(), 0);
        }
        for &(t, _) in &record.terms {
            df[t as usize] += 1;
        }
        record.entities.clear();
        record.aliases.clear();
        for m in &story.mentions {
            let id = self.entities.intern(&(m.kind, m.entity.to_string()));
            match record.entities.iter_mut().find(|(e, _)| *e == id) {
                Some((_, n)) => *n += 1,
                None => record.entities.push((id, 1)),
            }
            if m.surface != m.entity {
                record.aliases.push((id, self.surfaces.intern(m.surface)));
            }
        }
        record.entities.sort_unstable();
        record.aliases.sort_unstable();
        record.aliases.dedup();
    }

    /// An empty store in an anonymous temporary file (removed when the store is dropped).
    pub fn new() -> Result<Self> {
        Ok(StoryStore {
            writer: BufWriter::with_capacity(1 << 20, tempfile::tempfile().map_err(io)?),
            positions: Vec::new(),
            terms: Vocabulary::default(),
            entities: Vocabulary::default(),
            surfaces: Vocabulary::default(),
            kinds: Vec::new(),
            kind_names: Vocabulary::default(),
        })
    }

    /// Records that term `term` occurred `n` times tagged `kind`.
    pub fn tally_kind(&mut self, term: u32, kind: &str, n: u64) {
        let kind = self.kind_names.intern(kind);
        if self.kinds.len() <= term as usize {
            self.kinds.resize(term as usize + 1, Vec::new());
        }
        let kinds = &mut self.kinds[term as usize];
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, m)) => *m += n,
            None => kinds.push((kind, n)),
        }
    }

    /// The most frequent kind of a term (ties: the smaller name).
    pub fn kind(&self, term: u32) -> &str {
        self.kinds
            .get(term as usize)
            .and_then(|kinds| {
                kinds.iter().max_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then_with(|| self.kind_names.name(b.0).cmp(self.kind_names.name(a.0)))
                })
            })
            .map_or("", |(k, _)| self.kind_names.name(*k).as_str())
    }

    pub fn push(&mut self, story: &StoryRecord) -> Result<()> {
        let w = &mut self.writer;
        let mut put = |v: u32| w.write_all(&v.to_le_bytes());
        put(story.position).map_err(io)?;
        for list in [&story.terms, &story.entities, &story.aliases] {
            put(list.len() as u32).map_err(io)?;
            for &(a, b) in list.iter() {
                put(a).map_err(io)?;
                put(b).map_err(io)?;
            }
        }
        self.positions.push(story.position);
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Every story, in the order pushed. Each call reads the file again from the start; call it
    /// only after the last push (reader and writer share the file's position).
    pub fn read(&mut self) -> Result<StoryReader> {
        self.writer.flush().map_err(io)?;
        let mut file = self.writer.get_ref().try_clone().map_err(io)?;
        file.rewind().map_err(io)?;
        Ok(StoryReader {
            reader: BufReader::with_capacity(1 << 20, file),
            left: self.positions.len(),
        })
    }
}

/// Reads a [`StoryStore`] back, one story at a time.
pub struct StoryReader {
    reader: BufReader<std::fs::File>,
    left: usize,
}

impl StoryReader {
    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.reader.read_exact(&mut b).map_err(io)?;
        Ok(u32::from_le_bytes(b))
    }

    fn pairs(&mut self, into: &mut Vec<(u32, u32)>) -> Result<()> {
        into.clear();
        let n = self.u32()?;
        for _ in 0..n {
            into.push((self.u32()?, self.u32()?));
        }
        Ok(())
    }

    /// Reads the next story into `story`; false when there are no more.
    pub fn next_into(&mut self, story: &mut StoryRecord) -> Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        self.left -= 1;
        story.position = self.u32()?;
        self.pairs(&mut story.terms)?;
        self.pairs(&mut story.entities)?;
        self.pairs(&mut story.aliases)?;
        Ok(true)
    }
}

/// A store of stories with these (term id, occurrences) lists, positions 0, 1, … (for tests of
/// the stages that read stores).
#[cfg(test)]
pub(crate) fn test_store(stories: &[&[(u32, u32)]]) -> StoryStore {
    let mut store = StoryStore::new().unwrap();
    for (i, terms) in stories.iter().enumerate() {
        store
            .push(&StoryRecord {
                position: i as u32,
                terms: terms.to_vec(),
                ..Default::default()
            })
            .unwrap();
    }
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_read_back_as_written_every_time() {
        let mut store = StoryStore::new().unwrap();
        let a = StoryRecord {
            position: 3,
            terms: vec![(0, 2), (5, 1)],
            entities: vec![(1, 1)],
            aliases: vec![(1, 0)],
        };
        let b = StoryRecord {
            position: 9,
            ..Default::default()
        };
        store.push(&a).unwrap();
        store.push(&b).unwrap();
        for _ in 0..2 {
            let mut reader = store.read().unwrap();
            let mut s = StoryRecord::default();
            assert!(reader.next_into(&mut s).unwrap());
            assert_eq!(s, a);
            assert!(reader.next_into(&mut s).unwrap());
            assert_eq!(s, b);
            assert!(!reader.next_into(&mut s).unwrap());
        }
    }

    #[test]
    fn a_story_is_interned_in_the_order_of_its_rows() {
        use crate::analyse::MentionRow;
        use crate::entities::EntityType;
        let mention = |surface, entity| MentionRow {
            field: "body",
            start: 0,
            end: 1,
            surface,
            entity,
            kind: EntityType::Org,
        };
        let story = StoryRows {
            keywords: vec![("가", "NNG", 2), ("나", "NNP", 1), ("나", "ORG", 3)],
            mentions: vec![mention("카톡", "카카오톡"), mention("카카오톡", "카카오톡")],
        };
        let (mut store, mut record, mut df) = (
            StoryStore::new().unwrap(),
            StoryRecord::default(),
            Vec::new(),
        );
        store.add(&mut record, 4, &story, &mut df).unwrap();
        // One term per keyword, its kinds tallied; ids in the rows' order.
        assert_eq!(record.terms, [(0, 2), (1, 4)]);
        assert_eq!((store.terms.name(1).as_str(), store.kind(1)), ("나", "ORG"));
        assert_eq!(df, [1, 1]);
        assert_eq!(record.entities, [(0, 2)]);
        assert_eq!(record.aliases, [(0, 0)]);
        assert_eq!(store.surfaces.name(0), "카톡");
    }

    #[test]
    fn kinds_pick_the_most_frequent_then_the_smaller() {
        let mut store = StoryStore::new().unwrap();
        let t = store.terms.intern(&"카카오".to_string());
        store.tally_kind(t, "NNP", 2);
        store.tally_kind(t, "ORG", 2);
        assert_eq!(store.kind(t), "NNP");
        store.tally_kind(t, "ORG", 1);
        assert_eq!(store.kind(t), "ORG");
    }
}
