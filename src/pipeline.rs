//! The passes that make a run, in bounded memory.
//!
//! 1. [`scan`]: ingest → normalise → dedup signature, batch by batch; keeps per article only its
//!    `articles.csv` row and its signature (a hash, a MinHash, lead keys); counts the units
//!    templates are learned from ([`crate::template`]) and writes the normalised text to a
//!    [`Spool`] on disk.
//! 2. [`dedup`]: candidates from the signatures, then a streaming pass over the spool that
//!    verifies each candidate pair on its shingle sets with the learned template left out, then
//!    clusters ([`crate::dedup`]).
//! 3. [`analyse`]: a second pass over the spool: morphology and keyword counts on the
//!    representatives only, in parallel (no keyword or entity inside learned template), and each
//!    copy's similarity to its representative; keeps only global counts.
//!
//! Why several passes: a story's representative and its number of copies are known only after
//! every article has been seen, and keeping every article's text or tokens until then would not
//! fit a million-article dump in memory. The inputs are parsed and normalised once: passes 2
//! and 3 read pass 1's spool, a sequential read of what the page cache usually still holds,
//! where parsing and normalising again cost as much as the whole first pass. What pass 3 needs
//! of an article besides its text (id, date, outlet, BIGKinds cells) is in its row.
//!
//! The per-story and per-copy steps are public so another driver ends a run as this one does:
//! [`Analysed::add`] (a story into the store, its mentions, its BIGKinds comparison),
//! [`copy_pairs`] and [`copy_similarity`] (each copy against its representative), and
//! [`Scanned::of_records`] (rows of records read elsewhere, in run order) — the Python
//! bindings build a run's rows and stories from `bodo.arrow`'s batches with them.

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::analyse::{self, Analysers, Story, StoryRows};
use crate::bigkinds::Overlap;
use crate::dedup::{self, Clusters, Completeness, DedupConfig, Scored, Signature, Verifier};
use crate::entities::gazetteer::Gazetteer;
use crate::error::{Error, Result};
use crate::ingest::{self, IngestOptions, Inputs};
use crate::record::{Article, ArticleRow, Normalised, Record, Rejection, Status};
use crate::spool::Spool;
use crate::stories::{StoryRecord, StoryStore};
use crate::tables::{StreamColumn, TableFormat, TableStream};
use crate::template::{self, Learned, Templates};

/// What pass 1 learns about every record.
#[derive(Default)]
pub struct Scanned {
    /// One row per record, in run order (rejected records included).
    pub rows: Vec<ArticleRow>,
    pub rejections: Vec<Rejection>,
    /// One signature per readable article ("position"), in run order; empty when dedup is off.
    pub signatures: Vec<Signature>,
    /// Every signature's MinHash values, one after the other ([`dedup::flatten`]): one block
    /// that is given back whole when LSH has read it.
    pub minhashes: Vec<u32>,
    /// Each position's exact-text hash, once dedup has dropped the signatures.
    pub exact: Vec<u128>,
    /// For each position, the record index (position in `rows`) of its article.
    pub article_rows: Vec<usize>,
    /// Outlet templates learned from every article (nothing when dedup or learning is off).
    pub templates: Templates,
    /// Every article's normalised text, for verification and analysis (`None` once pass 3 has
    /// read it).
    pub spool: Option<Spool>,
}

/// The inputs as every pass reads them: the same files, options and batch size each time.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub inputs: &'a Inputs,
    pub opts: &'a IngestOptions,
    /// Records per batch: the unit of parallel work and of memory held at once.
    pub batch_size: usize,
}

/// Counts of the dedup stage, for the manifest.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct DedupStats {
    /// Candidate pairs from LSH.
    pub candidate_pairs: u64,
    /// Of these, exact duplicates (not re-read).
    pub exact_pairs: u64,
    /// Pairs at or above the threshold.
    pub matched_pairs: u64,
    /// Of the verified pairs at or above the threshold, those vetoed by a number in the shorter
    /// text's headline or lead that the longer lacks.
    pub vetoed_pairs: u64,
    /// Template units learned from the dump: across outlets, and within one outlet.
    pub template_units: u64,
    pub outlet_template_units: u64,
    /// Seconds spent proposing candidates (LSH, headline and lead keys) and verifying them
    /// (the second pass over the inputs), of the dedup stage's time.
    pub candidates_seconds: f64,
    pub verification_seconds: f64,
}

/// Streams the inputs to `each` in batches of at most `batch_size` records, in input order.
///
/// Ingest runs on its own thread, one batch ahead (at most two batches wait in the channel), so
/// reading and parsing overlap the parallel work on the previous batch instead of leaving the
/// workers idle; memory stays bounded by the channel.
fn for_each_batch(source: &Source, mut each: impl FnMut(Vec<Record>) -> Result<()>) -> Result<()> {
    let Source {
        inputs,
        opts,
        batch_size,
    } = *source;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(2);
        let reader = scope.spawn(move || -> Result<()> {
            let mut batch = Vec::with_capacity(batch_size);
            ingest::scan(inputs, opts, &mut |record| {
                batch.push(record);
                if batch.len() >= batch_size {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                    // A closed channel means the consumer failed; its error is the one reported.
                    tx.send(full)
                        .map_err(|_| Error::Config("batch consumer stopped".into()))?;
                }
                Ok(())
            })?;
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            Ok(())
        });
        let mut consumed = Ok(());
        for batch in rx.iter() {
            consumed = crate::interrupt::check().and_then(|()| each(batch));
            if consumed.is_err() {
                break;
            }
        }
        drop(rx);
        let read = reader.join().expect("ingest thread panicked");
        consumed.and(read)
    })
}

/// Pass 1: every record becomes a row; every readable article also a signature, and its units
/// are counted for the templates learned at the end.
pub fn scan(source: &Source, cfg: &DedupConfig, bar: &ProgressBar) -> Result<Scanned> {
    let mut scanned = Scanned::default();
    let learn = cfg.enabled && cfg.learn;
    let mut counter = learn.then(template::Counter::default);
    // Spooled even without dedup: pass 3 reads the texts back instead of parsing and
    // normalising the inputs again.
    scanned.spool = Some(Spool::create()?);
    for_each_batch(source, |batch| {
        let articles: Vec<&Article> = batch
            .iter()
            .filter_map(|record| match record {
                Record::Article(article) => Some(article),
                Record::Rejected(_) => None,
            })
            .collect();
        let fields: Vec<(&str, &str)> = articles
            .iter()
            .map(|a| (a.title.as_str(), a.body.as_str()))
            .collect();
        let texts = crate::normalise::batch(&fields);
        let mut signatures = if cfg.enabled {
            dedup::signatures(&texts, cfg)
        } else {
            Vec::new()
        }
        .into_iter();
        if let Some(counter) = &mut counter {
            let keys: Vec<(Option<&str>, Option<&str>)> = articles
                .iter()
                .map(|a| (a.outlet.as_deref(), a.date.known()))
                .collect();
            counter.add(&template::sightings(&texts, &keys))?;
        }
        drop(articles);
        let mut texts = texts.into_iter();
        for record in batch {
            debug_assert_eq!(
                record.index(),
                scanned.rows.len(),
                "ingest numbers records densely"
            );
            match record {
                Record::Article(a) => {
                    let text = texts.next().expect("one text per article");
                    if let Some(spool) = &mut scanned.spool {
                        spool.push(&text)?;
                    }
                    if let Some(mut signature) = signatures.next() {
                        let values = std::mem::take(&mut signature.minhash);
                        scanned.minhashes.extend_from_slice(&values);
                        scanned.signatures.push(signature);
                    }
                    scanned.article_rows.push(scanned.rows.len());
                    scanned.rows.push(ArticleRow {
                        chars: text.body.chars().count(),
                        boilerplate_chars: text.boilerplate_chars,
                        title: text.title,
                        ..ArticleRow::new(a)
                    });
                }
                Record::Rejected(r) => {
                    scanned.rows.push(ArticleRow::rejected(&r));
                    scanned.rejections.push(r);
                }
            }
            bar.inc(1);
        }
        Ok(())
    })?;
    scanned.templates = match counter {
        Some(counter) => counter.learn()?,
        None => Templates::none(),
    };
    Ok(scanned)
}

/// The error of the verifier's temporary file of shingle sets (in the system's temp directory).
fn spill_error(error: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("(shingle sets)"), error)
}

/// Pass 2: LSH candidates, verification of the candidate pairs on the texts, clusters.
pub fn dedup(
    source: &Source,
    cfg: &DedupConfig,
    scanned: &mut Scanned,
) -> Result<(Clusters, DedupStats)> {
    let n = scanned.article_rows.len();
    if !cfg.enabled {
        return Ok((Clusters::singletons(n), DedupStats::default()));
    }
    // Taken out while the closures below borrow the rows; put back for pass 3.
    let mut spool = scanned.spool.take().expect("pass 1 spools the texts");
    let started = std::time::Instant::now();
    let minhashes = std::mem::take(&mut scanned.minhashes);
    let candidates = dedup::candidates(&scanned.signatures, minhashes, cfg);
    let candidates_seconds = started.elapsed().as_secs_f64();
    let (mut scored, pairs) = dedup::split_exact(&scanned.signatures, &candidates);
    let (template_units, outlet_template_units) = scanned.templates.len();
    let mut stats = DedupStats {
        candidate_pairs: candidates.len() as u64,
        exact_pairs: scored.len() as u64,
        template_units: template_units as u64,
        outlet_template_units: outlet_template_units as u64,
        candidates_seconds,
        ..DedupStats::default()
    };
    let started = std::time::Instant::now();
    drop(candidates);
    // Only the exact hashes are needed from here on (pass 3 tells exact copies by them).
    scanned.exact = scanned.signatures.iter().map(|s| s.exact).collect();
    scanned.signatures = Vec::new();
    if !pairs.is_empty() {
        let mut verifier = Verifier::new(n, &pairs, cfg.shingle);
        let needed: Vec<bool> = (0..n).map(|p| verifier.needs(p)).collect();
        let (templates, rows) = (&scanned.templates, &scanned.rows);
        let outlet = |p: usize| rows[scanned.article_rows[p]].outlet.as_deref();
        spool.for_each(
            |p| needed[p],
            source.batch_size,
            |texts| {
                let learned: Vec<Learned> = texts
                    .par_iter()
                    .map(|(p, t)| templates.find(t, outlet(*p)))
                    .collect();
                let batch: Vec<(usize, &Normalised, &Learned)> = texts
                    .iter()
                    .zip(&learned)
                    .map(|((p, t), l)| (*p, t, l))
                    .collect();
                verifier.offer(&batch).map_err(spill_error)
            },
        )?;
        scored.extend(verifier.finish());
    }
    scanned.spool = Some(spool);
    stats.verification_seconds = started.elapsed().as_secs_f64();
    stats.matched_pairs = scored
        .iter()
        .filter(|s| s.similarity >= cfg.threshold && !s.veto)
        .count() as u64;
    stats.vetoed_pairs = scored
        .iter()
        .filter(|s| s.similarity >= cfg.threshold && s.veto)
        .count() as u64;
    let completeness: Vec<Completeness> = scanned
        .article_rows
        .iter()
        .map(|&row| Completeness {
            chars: scanned.rows[row].chars,
            date: scanned.rows[row].date.known().map(String::from),
        })
        .collect();
    Ok((
        dedup::clusters(&completeness, &scored, cfg.threshold),
        stats,
    ))
}

/// Applies dedup's partition to the rows; returns, per record, how many articles it stands for
/// (its cluster size for a representative, 0 otherwise).
pub fn apply_clusters(scanned: &mut Scanned, clusters: &Clusters) -> Vec<u64> {
    let sizes = clusters.sizes();
    let mut copies = vec![0u64; scanned.rows.len()];
    for (p, &row) in scanned.article_rows.iter().enumerate() {
        let rep = clusters.representative[p];
        let rep_id = scanned.rows[scanned.article_rows[rep]].article_id.clone();
        let r = &mut scanned.rows[row];
        r.cluster_id = Some(clusters.cluster_id[p]);
        if rep == p {
            copies[row] = sizes[p];
            r.similarity = Some(1.0);
        } else {
            r.status = Status::Duplicate;
            r.duplicate_of = Some(rep_id);
        }
    }
    copies
}

/// What pass 3 gives: every story's keywords and entities, and counts over all stories.
pub struct Analysed {
    pub store: StoryStore,
    /// Per term id, the stories containing it (all stories, off-topic ones included).
    pub df: Vec<u64>,
    /// Rows written to mentions.csv.
    pub mentions: u64,
    /// BIGKinds' entities against bodo's, for representatives read from a BIGKinds export.
    pub overlap: Overlap,
    /// Scratch space for [`StoryStore::add`].
    record: StoryRecord,
}

impl Analysed {
    /// No story yet (the store is a new temporary file).
    pub fn new() -> Result<Self> {
        Ok(Analysed {
            store: StoryStore::new()?,
            df: Vec::new(),
            mentions: 0,
            overlap: Overlap::default(),
            record: StoryRecord::default(),
        })
    }

    /// Takes one analysed story, its representative at `position` (stories come in position
    /// order): into the store, its mentions into `mentions` (`mentions.csv`, when it is being
    /// written), its representative's BIGKinds cells compared with them. Every driver's
    /// stories go through here: pass 3's and `bodo.arrow`'s.
    pub fn add(
        &mut self,
        position: usize,
        article: &ArticleRow,
        story: &StoryRows,
        gazetteer: &Gazetteer,
        mentions: Option<&mut TableStream>,
    ) -> Result<()> {
        if let Some(bigkinds) = &article.bigkinds {
            let found = story.mentions.iter().map(|m| (m.kind, m.entity));
            self.overlap.add(bigkinds, found, gazetteer);
        }
        if let Some(stream) = mentions {
            let article_id = article.article_id.as_str();
            for m in &story.mentions {
                stream.write([
                    article_id,
                    m.field,
                    &m.start.to_string(),
                    &m.end.to_string(),
                    m.surface,
                    m.entity,
                    m.kind.as_str(),
                ])?;
            }
        }
        self.mentions += story.mentions.len() as u64;
        self.store
            .add(&mut self.record, position, story, &mut self.df)
    }
}

/// The columns of `mentions.csv`: offsets in characters into the normalised field.
pub const MENTION_COLUMNS: &[StreamColumn] = &[
    StreamColumn {
        name: "article_id",
        count: false,
    },
    StreamColumn {
        name: "field",
        count: false,
    },
    StreamColumn {
        name: "start",
        count: true,
    },
    StreamColumn {
        name: "end",
        count: true,
    },
    StreamColumn {
        name: "surface",
        count: false,
    },
    StreamColumn {
        name: "entity",
        count: false,
    },
    StreamColumn {
        name: "type",
        count: false,
    },
];

/// `mentions.csv` in `out` (and its Parquet twin when asked), as a run streams it.
pub fn mentions_stream(out: &std::path::Path, format: TableFormat) -> Result<TableStream> {
    TableStream::create(
        out,
        "mentions.csv",
        format.excel,
        format.parquet,
        MENTION_COLUMNS,
    )
}

/// Pass 3: morphology, entities and keywords of the representatives, in parallel, into a
/// [`StoryStore`] (and each mention into `mentions`); and each copy's similarity to its
/// representative (written into the rows).
#[allow(clippy::too_many_arguments)]
pub fn analyse(
    source: &Source,
    cfg: &DedupConfig,
    scanned: &mut Scanned,
    clusters: &Clusters,
    copies: &[u64],
    analysers: &Analysers,
    mentions: &mut TableStream,
    bar: &ProgressBar,
) -> Result<Analysed> {
    let mut out = Analysed::new()?;
    let n = scanned.article_rows.len();
    let pairs = copy_pairs(&clusters.representative, &scanned.exact);
    let mut verifier = Verifier::new(n, &pairs, cfg.shingle);
    let needed: Vec<bool> = (0..n).map(|p| verifier.needs(p)).collect();
    // The texts are needed for the last time here: the spool's file goes when this pass ends.
    let mut spool = scanned.spool.take().expect("pass 1 spools the texts");
    let (rows, article_rows) = (&scanned.rows, &scanned.article_rows);
    let row = |p: usize| &rows[article_rows[p]];
    let is_rep = |p: usize| copies[article_rows[p]] > 0;
    let templates = &scanned.templates;
    // With templates learned, every article is read once more so `articles.csv` can say how much
    // of each was template.
    let all = !templates.is_empty();
    let mut learned_chars = vec![0usize; if all { n } else { 0 }];
    // Each batch's stories are stored (ids interned, mentions written: serial work) while the
    // next batch is analysed, in the order they were read.
    let gazetteer = analysers.recogniser.gazetteer();
    let mut consume = |analysed: Vec<(usize, Story)>| -> Result<()> {
        for (position, story) in analysed {
            out.add(
                position,
                row(position),
                &story.rows(),
                gazetteer,
                Some(mentions),
            )?;
        }
        Ok(())
    };
    let mut pending = Vec::new();
    spool.for_each(
        |p| all || is_rep(p) || needed[p],
        source.batch_size,
        |texts| {
            let learned: Vec<Learned> = texts
                .par_iter()
                .map(|(p, t)| templates.find(t, row(*p).outlet.as_deref()))
                .collect();
            if all {
                for ((p, t), l) in texts.iter().zip(&learned) {
                    learned_chars[*p] = l.chars(t);
                }
            }
            let batch: Vec<(usize, &Normalised, &Learned)> = texts
                .iter()
                .zip(&learned)
                .filter(|((p, _), _)| needed[*p])
                .map(|((p, t), l)| (*p, t, l))
                .collect();
            let previous = std::mem::take(&mut pending);
            let (stored, analysed) = rayon::join(
                || -> Result<()> {
                    verifier.offer(&batch).map_err(spill_error)?;
                    consume(previous)
                },
                || -> Result<Vec<(usize, Story)>> {
                    let reps: Vec<usize> =
                        (0..texts.len()).filter(|&i| is_rep(texts[i].0)).collect();
                    let items: Vec<analyse::Item> = reps
                        .iter()
                        .map(|&i| analyse::Item {
                            text: &texts[i].1,
                            date: row(texts[i].0).date.known(),
                            learned: &learned[i],
                            outlet: row(texts[i].0).outlet.as_deref(),
                        })
                        .collect();
                    let stories = analyse::batch(analysers, &items)?;
                    Ok(reps.iter().map(|&i| texts[i].0).zip(stories).collect())
                },
            );
            stored?;
            pending = analysed?;
            bar.inc(pending.len() as u64);
            Ok(())
        },
    )?;
    consume(pending)?;
    drop(spool);
    for (p, row) in scanned.article_rows.iter().enumerate() {
        if let Some(&chars) = learned_chars.get(p) {
            scanned.rows[*row].learned_boilerplate_chars = chars;
        }
    }
    copy_similarity(scanned, clusters, &verifier.finish());
    Ok(out)
}

/// The (copy, representative) pairs, smaller position first, whose texts differ (`exact`: each
/// position's exact-text hash; empty without dedup, and then nothing is compared): what pass 3
/// verifies for each copy's similarity to its representative (an exact copy scores 1 unread).
pub fn copy_pairs(representative: &[usize], exact: &[u128]) -> Vec<(u32, u32)> {
    (0..representative.len())
        .filter_map(|p| {
            let rep = representative[p];
            copy_pair(p, rep, exact.get(p), exact.get(rep))
        })
        .collect()
}

/// [`copy_pairs`] for one article: its position, its story's representative and the two
/// exact-text hashes (`None` without dedup). `None` for a representative and an exact copy.
pub fn copy_pair<H: PartialEq>(
    position: usize,
    representative: usize,
    exact: Option<H>,
    representative_exact: Option<H>,
) -> Option<(u32, u32)> {
    (position != representative && exact != representative_exact).then(|| {
        (
            position.min(representative) as u32,
            position.max(representative) as u32,
        )
    })
}

/// Writes each copy's similarity to its representative into the rows: 1 for exact copies, the
/// score of its pair in `scored` (the [`copy_pairs`] verified) for the others.
pub fn copy_similarity(scanned: &mut Scanned, clusters: &Clusters, scored: &[Scored]) {
    for (p, row) in scanned.article_rows.iter().enumerate() {
        if !clusters.is_representative(p) {
            scanned.rows[*row].similarity = Some(1.0);
        }
    }
    for s in scored {
        let copy = if clusters.is_representative(s.a as usize) {
            s.b
        } else {
            s.a
        };
        scanned.rows[scanned.article_rows[copy as usize]].similarity = Some(s.similarity);
    }
}

impl Scanned {
    /// The rows of records read and normalised elsewhere (the Python bindings' `bodo.arrow`):
    /// each article's `(index, row)` in position order, and the rejections, put in run order
    /// by their indexes as pass 1 would have.
    pub fn of_records(articles: Vec<(usize, ArticleRow)>, rejections: Vec<Rejection>) -> Self {
        let mut records: Vec<(usize, Option<usize>, ArticleRow)> = articles
            .into_iter()
            .enumerate()
            .map(|(position, (index, row))| (index, Some(position), row))
            .chain(
                rejections
                    .iter()
                    .map(|r| (r.index, None, ArticleRow::rejected(r))),
            )
            .collect();
        records.sort_by_key(|(index, _, _)| *index);
        let mut scanned = Scanned {
            rejections,
            ..Scanned::default()
        };
        scanned.article_rows = vec![0; records.iter().filter(|r| r.1.is_some()).count()];
        for (i, (_, position, row)) in records.into_iter().enumerate() {
            if let Some(p) = position {
                scanned.article_rows[p] = i;
            }
            scanned.rows.push(row);
        }
        scanned
    }
}

/// Every readable article of `paths`, in memory (for small inputs: seeds, tests, tools).
pub fn read_articles(paths: &[std::path::PathBuf], opts: &IngestOptions) -> Result<Vec<Article>> {
    Ok(ingest::read(paths, opts)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::ArticleDate;

    fn article(index: usize, id: &str) -> (usize, ArticleRow) {
        let a = Article {
            index,
            article_id: id.into(),
            source: format!("in.jsonl:{}", index + 1),
            outlet: None,
            date: ArticleDate::Missing,
            title: id.into(),
            body: String::new(),
            url: None,
            bigkinds: None,
        };
        (index, ArticleRow::new(a))
    }

    #[test]
    fn records_read_elsewhere_take_their_run_order() {
        let rejected = Rejection {
            index: 1,
            source: "in.jsonl:2".into(),
            article_id: None,
            reason: "not JSON".into(),
        };
        let scanned = Scanned::of_records(
            vec![article(0, "a"), article(2, "b"), article(3, "c")],
            vec![rejected],
        );
        let ids: Vec<&str> = scanned.rows.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(
            ids,
            ["in.jsonl:1", "in.jsonl:2", "in.jsonl:3", "in.jsonl:4"]
        );
        assert_eq!(scanned.rows[1].status, Status::Rejected);
        assert_eq!(scanned.article_rows, [0, 2, 3]);
    }

    #[test]
    fn copies_are_compared_unless_exact_and_scored_as_verified() {
        // Articles 0 and 2 are copies of 1; 2 is an exact copy.
        let clusters = Clusters {
            representative: vec![1, 1, 1, 3],
            cluster_id: vec![1, 1, 1, 2],
        };
        let exact = [7u128, 8, 8, 9];
        assert_eq!(copy_pairs(&clusters.representative, &exact), [(0, 1)]);
        // Without hashes (a run without dedup, which has no copies) nothing is compared.
        assert!(copy_pairs(&clusters.representative, &[]).is_empty());
        let mut scanned = Scanned::of_records(
            (0..4).map(|i| article(i, &i.to_string())).collect(),
            Vec::new(),
        );
        apply_clusters(&mut scanned, &clusters);
        let scored = Scored {
            similarity: 0.75,
            ..Scored::exact(0, 1)
        };
        copy_similarity(&mut scanned, &clusters, &[scored]);
        let similarity: Vec<Option<f64>> = scanned.rows.iter().map(|r| r.similarity).collect();
        assert_eq!(similarity, [Some(0.75), Some(1.0), Some(1.0), Some(1.0)]);
        assert_eq!(scanned.rows[2].duplicate_of.as_deref(), Some("1"));
    }
}
