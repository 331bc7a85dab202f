//! The two passes over the inputs that make a run, in bounded memory.
//!
//! Pass 1 ([`scan`]): ingest → normalise → dedup signature, batch by batch; keeps per article only
//! its `articles.csv` row and its signature. Between the passes dedup partitions the articles.
//! Pass 2 ([`analyse`]): ingest and normalise again, and run morphology and keyword counting on
//! the representatives only, in parallel; keeps only the global keyword counts.
//!
//! Why two passes: a story's representative and its number of copies are known only after every
//! article has been seen, and keeping every article's text or tokens until then would not fit a
//! million-article dump in memory. Re-reading and re-normalising is cheap next to morphology
//! (see the benchmark). Ingest is deterministic, so both passes see the same records with the same
//! indices; stdin is spooled by ingest so it can be read twice.

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::dedup::{self, Signature};
use crate::error::{Error, Result};
use crate::ingest::{self, IngestOptions, Inputs};
use crate::keywords::{ArticleTerms, KeywordCounts, KeywordFilter};
use crate::morph::Morphology;
use crate::normalise::normalise;
use crate::record::{Article, ArticleRow, Field, Record, Rejection, Status};

/// What pass 1 learns about every record.
#[derive(Debug, Default)]
pub struct Scanned {
    /// One row per record, in run order (rejected records included).
    pub rows: Vec<ArticleRow>,
    pub rejections: Vec<Rejection>,
    /// One signature per readable article, in run order.
    pub signatures: Vec<Signature>,
    /// For each signature, the record index (position in `rows`) of its article.
    pub signature_rows: Vec<usize>,
}

/// Streams the inputs to `each` in batches of at most `batch_size` records, in input order.
///
/// Ingest runs on its own thread, one batch ahead (at most two batches wait in the channel), so
/// reading and parsing overlap the parallel work on the previous batch instead of leaving the
/// workers idle; memory stays bounded by the channel.
fn for_each_batch(
    inputs: &Inputs,
    opts: &IngestOptions,
    batch_size: usize,
    mut each: impl FnMut(Vec<Record>) -> Result<()>,
) -> Result<()> {
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
            consumed = each(batch);
            if consumed.is_err() {
                break;
            }
        }
        drop(rx);
        let read = reader.join().expect("ingest thread panicked");
        consumed.and(read)
    })
}

/// Pass 1: every record becomes a row; every readable article also a signature.
pub fn scan(
    inputs: &Inputs,
    opts: &IngestOptions,
    batch_size: usize,
    bar: &ProgressBar,
) -> Result<Scanned> {
    let mut scanned = Scanned::default();
    for_each_batch(inputs, opts, batch_size, |batch| {
        let normalised: Vec<_> = batch
            .par_iter()
            .map(|record| match record {
                Record::Article(article) => {
                    let text = normalise(article);
                    Some((dedup::signature(&text), text))
                }
                Record::Rejected(_) => None,
            })
            .collect();
        for (record, analysed) in batch.into_iter().zip(normalised) {
            debug_assert_eq!(
                record.index(),
                scanned.rows.len(),
                "ingest numbers records densely"
            );
            match (record, analysed) {
                (Record::Article(a), Some((signature, text))) => {
                    scanned.signatures.push(signature);
                    scanned.signature_rows.push(scanned.rows.len());
                    scanned.rows.push(ArticleRow {
                        chars: text.body.chars().count(),
                        boilerplate_chars: text.boilerplate_chars,
                        title: text.title,
                        ..row(a)
                    });
                }
                (Record::Rejected(r), _) => {
                    scanned.rows.push(ArticleRow {
                        article_id: r.article_id.clone().unwrap_or_default(),
                        source: r.source.clone(),
                        outlet: None,
                        date: Default::default(),
                        url: None,
                        title: String::new(),
                        chars: 0,
                        boilerplate_chars: 0,
                        status: Status::Rejected,
                        duplicate_of: None,
                    });
                    scanned.rejections.push(r);
                }
                (Record::Article(_), None) => unreachable!("articles are always normalised"),
            }
            bar.inc(1);
        }
        Ok(())
    })?;
    Ok(scanned)
}

fn row(a: Article) -> ArticleRow {
    ArticleRow {
        article_id: a.article_id,
        source: a.source,
        outlet: a.outlet,
        date: a.date,
        url: a.url,
        title: a.title,
        chars: 0,
        boilerplate_chars: 0,
        status: Status::Analysed,
        duplicate_of: None,
    }
}

/// Applies dedup's partition to the rows; returns, per record, how many articles it stands for
/// (its cluster size for a representative, 0 otherwise).
pub fn apply_clusters(scanned: &mut Scanned) -> Vec<u64> {
    let clusters = dedup::cluster(&scanned.signatures);
    let sizes = clusters.sizes();
    let mut copies = vec![0u64; scanned.rows.len()];
    for (i, &row) in scanned.signature_rows.iter().enumerate() {
        let rep = clusters.representative[i];
        if rep == i {
            copies[row] = sizes[i];
        } else {
            let rep_id = scanned.rows[scanned.signature_rows[rep]].article_id.clone();
            let r = &mut scanned.rows[row];
            r.status = Status::Duplicate;
            r.duplicate_of = Some(rep_id);
        }
    }
    copies
}

/// Pass 2: morphology and keyword counts over the articles that stand for their cluster.
pub fn analyse(
    inputs: &Inputs,
    opts: &IngestOptions,
    batch_size: usize,
    copies: &[u64],
    filter: &KeywordFilter,
    bar: &ProgressBar,
) -> Result<KeywordCounts> {
    let morphology = Morphology::load()?;
    let mut counts = KeywordCounts::default();
    let mut seen = 0usize;
    for_each_batch(inputs, opts, batch_size, |batch| {
        seen += batch.len();
        let todo: Vec<Article> = batch
            .into_iter()
            .filter_map(|record| match record {
                Record::Article(a) if copies.get(a.index).copied().unwrap_or(0) > 0 => Some(a),
                _ => None,
            })
            .collect();
        let terms: Vec<(usize, ArticleTerms)> = todo
            .par_iter()
            .map_init(
                || (morphology.worker(), Vec::new()),
                |(worker, nouns), article| {
                    let text = normalise(article);
                    nouns.clear();
                    worker.nouns(&text.title, Field::Title, nouns)?;
                    worker.nouns(&text.body, Field::Body, nouns)?;
                    Ok((
                        article.index,
                        ArticleTerms::from_nouns(nouns.drain(..), filter),
                    ))
                },
            )
            .collect::<Result<_>>()?;
        bar.inc(terms.len() as u64);
        for (index, article_terms) in terms {
            counts.add(article_terms, copies[index]);
        }
        Ok(())
    })?;
    if seen != copies.len() {
        // Both passes must see the same records; anything else means an input changed mid-run.
        return Err(Error::Config(format!(
            "inputs changed while bodo ran: {} records in the first pass, {seen} in the second",
            copies.len()
        )));
    }
    Ok(counts)
}

/// Every readable article of `paths`, in memory (for small inputs: seeds, tests, tools).
pub fn read_articles(paths: &[std::path::PathBuf], opts: &IngestOptions) -> Result<Vec<Article>> {
    let inputs = ingest::resolve(paths, opts)?;
    let mut articles = Vec::new();
    ingest::scan(&inputs, opts, &mut |record| {
        if let Record::Article(a) = record {
            articles.push(a);
        }
        Ok(())
    })?;
    Ok(articles)
}
