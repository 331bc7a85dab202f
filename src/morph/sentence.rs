//! A line analysed as MeCab-ko analyses a sentence: cut into units at spaces, each unit analysed
//! for every way in and out (`lattice.rs`, usually from the cache), the units joined by a Viterbi
//! over those ways.
//!
//! Takes one line (no line feed); gives its morphemes in order, with byte offsets into the line.
//!
//! Why this is MeCab's best path: in MeCab-ko's lattice a word after a space connects directly to
//! the word before it, so a unit's choice depends on its neighbours only through the last
//! morpheme's right context id before it, the first morpheme's left context id and space
//! penalty, and the right context id it ends with — exactly the ways a [`Unit`] is tabulated by.
//! The join adds the connection costs between units and the penalty of a way in that follows a
//! space; the best total is the best path of the whole lattice.
//!
//! Guarantees: the result depends only on the line; whether a unit came from the cache or was
//! built does not change it.

use std::sync::Arc;

use super::lattice::{Lexicon, Morph, Plain, Unit, Way, MAX_UNIT_BYTES};

/// Where a unit's analysis comes from: a table for every context (cached, or built to be), or
/// a pass over it in its context.
pub(crate) trait Units {
    /// The unit's table, if it is worth one.
    fn table(&mut self, text: &str) -> Option<Arc<Unit>>;
    /// The unit analysed in its context, into `plain`; `way_in` gives the cost of reaching each
    /// way in.
    fn forward(&mut self, text: &str, way_in: &mut dyn FnMut(Way) -> i64, plain: &mut Plain);
}

/// A unit of the line, analysed.
enum Analysis {
    Table(Arc<Unit>),
    Plain(Plain),
}

impl Analysis {
    /// Hands the morphemes of the best path from `way` to `out` to `emit`.
    fn each(&self, way: usize, out: usize, emit: &mut impl FnMut(&Morph)) {
        match self {
            Analysis::Table(u) => u.path(way, out).for_each(emit),
            Analysis::Plain(p) => p.path(out).iter().for_each(emit),
        }
    }

    fn outs(&self) -> usize {
        match self {
            Analysis::Table(u) => u.outs.len(),
            Analysis::Plain(p) => p.outs.len(),
        }
    }

    /// The node the best path to way out `out` (from way in `way`) ends with.
    fn last_node(&self, way: usize, out: usize) -> u32 {
        match self {
            Analysis::Table(u) => u.last_node(way, out),
            Analysis::Plain(p) => p.outs[out].last,
        }
    }
}

/// Past any real path's cost: the join sums in `i64`, so a line of any length fits.
const UNREACHABLE: i64 = i64::MAX / 4;

/// A unit's place in its line.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// Whether spaces precede it (its first morpheme pays the left-space penalty).
    spaced: bool,
}

/// The join's buffers, kept per thread.
#[derive(Default)]
pub(crate) struct Joiner {
    spans: Vec<Span>,
    units: Vec<Analysis>,
    /// Analyses of earlier lines, for their buffers.
    spare: Vec<Plain>,
    /// Per way out of the unit before: its right context id and best cost.
    prev: Vec<(u16, i64)>,
    next: Vec<(u16, i64)>,
    in_costs: Vec<i64>,
    /// Per unit, per way in: the way out of the unit before that it came from.
    came_from: Vec<u32>,
    /// Per unit, per way out: the way in its best path used.
    used: Vec<u32>,
    /// Where each unit's entries start in `came_from` and `used`.
    bases: Vec<(usize, usize)>,
    chosen: Vec<(usize, usize)>,
}

/// Cuts `line` into units: runs of non-space characters, a run that ends with the head of a
/// ko-dic entry containing a space going on over the spaces after it, and no unit longer than
/// [`MAX_UNIT_BYTES`].
fn spans(lexicon: &Lexicon, line: &str, out: &mut Vec<Span>) {
    out.clear();
    let mut chars = line.char_indices().peekable();
    let mut spaced = false;
    while let Some(&(start, c)) = chars.peek() {
        if lexicon.is_space(c) {
            chars.next();
            spaced = true;
            continue;
        }
        let mut end = start;
        loop {
            while let Some(&(i, c)) = chars.peek() {
                if lexicon.is_space(c) || i + c.len_utf8() - start > MAX_UNIT_BYTES {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            let at_space = chars.peek().is_some_and(|&(_, c)| lexicon.is_space(c));
            if !at_space || !Lexicon::space_key_head(&line[start..end]) {
                break;
            }
            while let Some(&(i, c)) = chars.peek() {
                if !lexicon.is_space(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
        }
        out.push(Span { start, end, spaced });
        spaced = false;
    }
}

impl Joiner {
    /// The node the best path to way out `out` of the last unit joined so far ends with (0
    /// before the first unit: BOS).
    fn last_node(&self, out: usize) -> u32 {
        let Some(k) = self.units.len().checked_sub(1) else {
            return 0;
        };
        let u = &self.units[k];
        if out >= u.outs() {
            return 0;
        }
        u.last_node(self.used[self.bases[k].1 + out] as usize, out)
    }

    /// The best cost of reaching `way` from the ways out of the unit before (or BOS), with the
    /// way out it comes from; of equal costs MeCab keeps the node it relaxed last (its lists
    /// are built newest first).
    fn way_in(&self, lexicon: &Lexicon, way: Way, spaced: bool) -> (i64, u32) {
        let (mut best, mut from) = (UNREACHABLE, u32::MAX);
        for (k, &(right, cost)) in self.prev.iter().enumerate() {
            let total = cost + i64::from(lexicon.connect(right, way.left));
            if cost < UNREACHABLE
                && (total < best
                    || total == best && self.last_node(k) > self.last_node(from as usize))
            {
                best = total;
                from = k as u32;
            }
        }
        let penalty = if spaced { way.penalty } else { 0 };
        (best + i64::from(penalty), from)
    }

    /// Analyses `line`, getting each unit's analysis from `units`, and hands every morpheme to
    /// `emit` with its byte offsets into the line, in order.
    pub(crate) fn analyse(
        &mut self,
        lexicon: &Lexicon,
        line: &str,
        units: &mut impl Units,
        emit: &mut impl FnMut(usize, usize, &Morph),
    ) {
        spans(lexicon, line, &mut self.spans);
        if self.spans.is_empty() {
            return;
        }
        for unit in self.units.drain(..) {
            if let Analysis::Plain(plain) = unit {
                self.spare.push(plain);
            }
        }
        self.came_from.clear();
        self.used.clear();
        self.bases.clear();
        self.prev.clear();
        self.prev.push((0, 0)); // BOS: right context 0
        for k in 0..self.spans.len() {
            let span = self.spans[k];
            let text = &line[span.start..span.end];
            let analysis = match units.table(text) {
                Some(u) => {
                    let first = self.came_from.len();
                    let mut came_from = std::mem::take(&mut self.came_from);
                    self.in_costs.clear();
                    for &way in u.ins.iter() {
                        let (cost, from) = self.way_in(lexicon, way, span.spaced);
                        self.in_costs.push(cost);
                        came_from.push(from);
                    }
                    self.came_from = came_from;
                    self.bases.push((first, self.used.len()));
                    self.next.clear();
                    for (out, &right) in u.outs.iter().enumerate() {
                        let (mut best, mut via) = (UNREACHABLE, u32::MAX);
                        for (way, &cost) in self.in_costs.iter().enumerate() {
                            let inner = u.cost(way, out);
                            if cost >= UNREACHABLE || inner >= super::lattice::UNREACHABLE {
                                continue;
                            }
                            let total = cost + i64::from(inner);
                            if total < best || total == best && u.prefers(way, via as usize, out) {
                                best = total;
                                via = way as u32;
                            }
                        }
                        self.next.push((right, best));
                        self.used.push(via);
                    }
                    Analysis::Table(u)
                }
                None => {
                    let first = self.came_from.len();
                    let mut came_from = std::mem::take(&mut self.came_from);
                    let mut plain = self.spare.pop().unwrap_or_default();
                    units.forward(
                        text,
                        &mut |way| {
                            let (cost, from) = self.way_in(lexicon, way, span.spaced);
                            came_from.push(from);
                            cost
                        },
                        &mut plain,
                    );
                    self.came_from = came_from;
                    self.bases.push((first, self.used.len()));
                    self.next.clear();
                    for out in &plain.outs {
                        self.next.push((out.right, out.cost));
                        self.used.push(out.way);
                    }
                    Analysis::Plain(plain)
                }
            };
            std::mem::swap(&mut self.prev, &mut self.next);
            self.units.push(analysis);
        }
        // EOS: left context 0.
        let (mut best, mut out) = (UNREACHABLE, usize::MAX);
        for (k, &(right, cost)) in self.prev.iter().enumerate() {
            let total = cost + i64::from(lexicon.connect(right, 0));
            if cost < UNREACHABLE
                && (total < best || total == best && self.last_node(k) > self.last_node(out))
            {
                best = total;
                out = k;
            }
        }
        self.chosen.clear();
        for k in (0..self.units.len()).rev() {
            let (ins, outs) = self.bases[k];
            let way = self.used[outs + out] as usize;
            self.chosen.push((way, out));
            out = self.came_from[ins + way] as usize;
        }
        for (k, &(way, out)) in self.chosen.iter().rev().enumerate() {
            let span = self.spans[k];
            self.units[k].each(way, out, &mut |m| {
                emit(
                    span.start + usize::from(m.start),
                    span.start + usize::from(m.end),
                    m,
                )
            });
        }
    }
}
