//! Dedup: which articles tell the same story.
//!
//! Takes one [`Signature`] per readable article (built from its [`Normalised`] text in pass 1);
//! gives [`Clusters`]: for every signature, the position of its cluster's representative.
//! This stage now finds exact duplicates (identical normalised title + body); near-duplicate
//! clustering replaces [`cluster`]'s body without changing its shape.
//!
//! Guarantees: a partition of the input; the representative of a cluster is its first article in
//! run order, so the result depends only on the order of the inputs, never on thread count.

use std::collections::HashMap;

use xxhash_rust::xxh3::Xxh3;

use crate::record::Normalised;

/// What dedup needs to know of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// 128-bit hash of the normalised title and body. At 128 bits an accidental collision in a
    /// billion articles has odds of about 1e-21, so equal hashes are treated as equal texts.
    pub exact: u128,
}

/// Builds the signature of a normalised article. Paragraph breaks count as spaces: an outlet that
/// breaks the same wire text into paragraphs still prints the same text.
pub fn signature(text: &Normalised) -> Signature {
    let mut hasher = Xxh3::new();
    hasher.update(text.title.as_bytes());
    // A separator that cannot occur in normalised text keeps ("ab","c") apart from ("a","bc").
    hasher.update(&[0xFF]);
    for (i, paragraph) in text.body.split('\n').enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(paragraph.as_bytes());
    }
    Signature {
        exact: hasher.digest128(),
    }
}

/// The partition of articles into stories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clusters {
    /// For each signature (by position), the position of its representative; a representative
    /// points at itself.
    pub representative: Vec<usize>,
}

impl Clusters {
    pub fn is_representative(&self, i: usize) -> bool {
        self.representative[i] == i
    }

    /// Number of articles in each representative's cluster, indexed like the signatures
    /// (0 for non-representatives).
    pub fn sizes(&self) -> Vec<u64> {
        let mut sizes = vec![0u64; self.representative.len()];
        for &r in &self.representative {
            sizes[r] += 1;
        }
        sizes
    }

    /// Number of clusters (stories).
    pub fn stories(&self) -> usize {
        (0..self.representative.len())
            .filter(|&i| self.is_representative(i))
            .count()
    }
}

/// Groups articles whose normalised texts are identical; the first of each group represents it.
pub fn cluster(signatures: &[Signature]) -> Clusters {
    let mut first: HashMap<u128, usize> = HashMap::with_capacity(signatures.len());
    let representative = signatures
        .iter()
        .enumerate()
        .map(|(i, s)| *first.entry(s.exact).or_insert(i))
        .collect();
    Clusters { representative }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_text;

    #[test]
    fn identical_texts_after_normalisation_cluster() {
        let texts = [
            ("카카오 먹통", "판교 데이터센터 화재."),
            (
                "카카오  먹통",
                "판교 데이터센터 화재. ⓒ 서울신문 무단전재 및 재배포 금지",
            ),
            ("카카오 먹통", "판교 데이터센터 화재!"),
            ("카카오 먹통", "판교 데이터센터\n화재."),
            ("카카오 먹통판교", " 데이터센터 화재."),
        ];
        let sigs: Vec<_> = texts
            .iter()
            .map(|(t, b)| signature(&normalise_text(t, b)))
            .collect();
        let clusters = cluster(&sigs);
        assert_eq!(clusters.representative, vec![0, 0, 2, 0, 4]);
        assert_eq!(clusters.stories(), 3);
        assert_eq!(clusters.sizes(), vec![3, 0, 1, 0, 1]);
    }
}
