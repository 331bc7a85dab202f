//! `network`: the co-occurrence network of the top terms. Takes the rows of keywords.csv (node
//! size: stories, df) and cooccurrence.csv (edges: stories with both terms, NPMI); gives the
//! chart, or a skip when no pair joins two keywords.
//!
//! Nodes: the [`NETWORK_NODES`] keywords in most stories among those with an edge in
//! cooccurrence.csv (and to another chosen node). Edges: each node's [`EDGES_PER_NODE`] strongest
//! pairs by NPMI (its best one always, the next ones while above chance), so none floats alone;
//! width and darkness grow with NPMI. Names (PER/ORG/LOC) are dark
//! circles, other terms light ones, so the kinds read apart in greyscale. Placement is the
//! deterministic force layout of `layout.rs`, fitted so that labels stay on the canvas and apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::layout::{fit, force_directed, Extent};
use crate::charts::render::{
    frame, render, thousands, DrawResult, Marker, Plot, Swatch, Theme, DARK, INK, LIGHT, MUTED,
    VALUE_PX,
};
use crate::charts::tables::{EdgeRow, KeywordRow};
use crate::charts::{Chart, Outcome};

/// Terms (nodes) in the network.
pub const NETWORK_NODES: usize = 40;
/// Strongest pairs kept per node.
const EDGES_PER_NODE: usize = 2;
/// Edge colour: a dark grey, its opacity set by NPMI.
const EDGE: RGBColor = RGBColor(70, 70, 70);
/// Smallest and largest node radius in pixels (the area grows with stories).
const RADIUS: (f64, f64) = (5.0, 20.0);
/// Label size in pixels.
const LABEL_PX: f64 = 15.0;

/// `network`: co-occurrence network of the top keywords.
pub fn network(
    keywords: &[KeywordRow],
    edges: &[EdgeRow],
    dir: &Path,
    font: &Font,
) -> Result<Outcome, ChartError> {
    let Some(graph) = select(keywords, edges) else {
        return Ok(Outcome::Skipped(
            "cooccurrence.csv has no pair of two keywords".to_string(),
        ));
    };
    let strongest = &graph.edges[0];
    let reading = format!(
        "Terms linked by a line appear in the same stories more often than chance (thicker and \
         darker: stronger, by NPMI) and larger circles are in more stories; the strongest link \
         is {} – {} (NPMI {:.2}, {} stories).",
        graph.nodes[strongest.a].name,
        graph.nodes[strongest.b].name,
        strongest.npmi,
        thousands(strongest.stories)
    );
    let title = format!(
        "Co-occurrence network of the top {} terms",
        graph.nodes.len()
    );
    let (png, svg) = render(&graph, dir, "network", font)?;
    Ok(Outcome::Drawn(Chart {
        name: "network",
        title,
        reading,
        png,
        svg,
    }))
}

struct Node {
    name: String,
    stories: u64,
    /// A person, organisation or place (drawn dark).
    named: bool,
}

struct Edge {
    a: usize,
    b: usize,
    stories: u64,
    npmi: f64,
}

struct Graph {
    /// By name, the layout's starting order.
    nodes: Vec<Node>,
    /// Strongest first.
    edges: Vec<Edge>,
}

/// The nodes and edges to draw (see the module doc), or `None` when no edge joins two keywords.
fn select(keywords: &[KeywordRow], edges: &[EdgeRow]) -> Option<Graph> {
    let by_name: BTreeMap<&str, &KeywordRow> =
        keywords.iter().map(|k| (k.keyword.as_str(), k)).collect();
    let known = |e: &&EdgeRow| {
        e.term_a != e.term_b
            && by_name.contains_key(e.term_a.as_str())
            && by_name.contains_key(e.term_b.as_str())
    };
    let linked: BTreeSet<&str> = edges
        .iter()
        .filter(known)
        .flat_map(|e| [e.term_a.as_str(), e.term_b.as_str()])
        .collect();
    let mut top: Vec<&KeywordRow> = linked.iter().map(|name| by_name[name]).collect();
    top.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.keyword.cmp(&b.keyword)));
    top.truncate(NETWORK_NODES);
    let chosen: BTreeSet<&str> = top.iter().map(|k| k.keyword.as_str()).collect();

    // Pairs within the chosen terms, strongest first: NPMI, then stories, then names.
    let mut pairs: Vec<&EdgeRow> = edges
        .iter()
        .filter(known)
        .filter(|e| chosen.contains(e.term_a.as_str()) && chosen.contains(e.term_b.as_str()))
        .collect();
    pairs.sort_by(|x, y| {
        y.npmi
            .total_cmp(&x.npmi)
            .then_with(|| y.stories.cmp(&x.stories))
            .then_with(|| (&x.term_a, &x.term_b).cmp(&(&y.term_a, &y.term_b)))
    });
    // Each term's strongest pairs (a nearest-neighbour backbone): every term keeps its best pair
    // and its next ones while they are above chance, so no term floats alone and no dense corner
    // of rare pairs takes all the lines.
    let mut kept: Vec<&EdgeRow> = Vec::new();
    for term in &chosen {
        let mine = pairs
            .iter()
            .copied()
            .filter(|e| e.term_a == *term || e.term_b == *term);
        for (rank, e) in mine.enumerate().take(EDGES_PER_NODE) {
            if rank == 0 || e.npmi > 0.0 {
                kept.push(e);
            }
        }
    }
    kept.sort_by(|x, y| {
        y.npmi
            .total_cmp(&x.npmi)
            .then_with(|| y.stories.cmp(&x.stories))
            .then_with(|| (&x.term_a, &x.term_b).cmp(&(&y.term_a, &y.term_b)))
    });
    kept.dedup_by(|x, y| x.term_a == y.term_a && x.term_b == y.term_b);
    if kept.is_empty() {
        return None;
    }
    // Nodes by name (the layout's start order), only those with a kept line.
    let used: BTreeSet<&str> = kept
        .iter()
        .flat_map(|e| [e.term_a.as_str(), e.term_b.as_str()])
        .collect();
    let nodes: Vec<Node> = used
        .iter()
        .map(|name| {
            let k = by_name[name];
            Node {
                name: k.keyword.clone(),
                stories: k.df,
                named: matches!(k.kind.as_str(), "PER" | "ORG" | "LOC"),
            }
        })
        .collect();
    let index: BTreeMap<&str, usize> = used.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges = kept
        .iter()
        .map(|e| Edge {
            a: index[e.term_a.as_str()],
            b: index[e.term_b.as_str()],
            stories: e.stories,
            npmi: e.npmi,
        })
        .collect();
    Some(Graph { nodes, edges })
}

impl Graph {
    /// Each edge's strength in 0..=1 by NPMI among the edges drawn (0.5 when all are equal).
    fn strengths(&self) -> Vec<f64> {
        let (lo, hi) = self
            .edges
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
                (lo.min(e.npmi), hi.max(e.npmi))
            });
        self.edges
            .iter()
            .map(|e| {
                if hi > lo {
                    (e.npmi - lo) / (hi - lo)
                } else {
                    0.5
                }
            })
            .collect()
    }

    fn radius(&self, node: &Node) -> f64 {
        let max = self
            .nodes
            .iter()
            .map(|n| n.stories)
            .max()
            .unwrap_or(1)
            .max(1);
        RADIUS.0 + (RADIUS.1 - RADIUS.0) * (node.stories as f64 / max as f64).sqrt()
    }
}

impl Plot for Graph {
    fn size(&self) -> (u32, u32) {
        (1200, 900)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB> {
        let title = format!(
            "Co-occurrence network of the top {} terms",
            self.nodes.len()
        );
        let legend = [
            ("person, organisation, place", Swatch::Bar(DARK)),
            ("other term", Swatch::Bar(LIGHT)),
            (
                "appear together (NPMI)",
                Swatch::Line(EDGE, 3, Marker::None),
            ),
        ];
        let area = frame(root, theme, &title, &legend)?;
        let (width, height) = area.dim_in_pixel();
        let note = "circle size: stories with the term · line: how much more often than chance \
                    two terms share a story (NPMI)";
        let note_style = theme.colored(VALUE_PX, &MUTED);
        let note_height = area.estimate_text_size(note, &note_style)?.1 as f64;

        let label_style = theme.text(LABEL_PX);
        let mut extents = Vec::with_capacity(self.nodes.len());
        let mut label_sizes = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let (w, h) = area.estimate_text_size(&node.name, &label_style)?;
            let (w, h) = (w as f64 + 6.0, h as f64 + 4.0);
            let r = self.radius(node);
            extents.push(Extent {
                left: r.max(w / 2.0),
                right: r.max(w / 2.0),
                up: r,
                down: r + 2.0 + h,
            });
            label_sizes.push((w, h));
        }
        let strengths = self.strengths();
        let links: Vec<(usize, usize, f64)> = self
            .edges
            .iter()
            .zip(&strengths)
            .map(|(e, s)| (e.a, e.b, 0.4 + s))
            .collect();
        let unit = force_directed(self.nodes.len(), &links);
        let centres = fit(
            &unit,
            &extents,
            (24.0, 8.0),
            (width as f64 - 24.0, height as f64 - note_height - 24.0),
        );
        let at = |i: usize| (centres[i].0.round() as i32, centres[i].1.round() as i32);

        // Weakest edges first, so the strong ones are drawn on top.
        for (e, s) in self.edges.iter().zip(&strengths).rev() {
            let style = EDGE
                .mix(0.2 + 0.6 * s)
                .stroke_width((1.0 + 4.0 * s).round() as u32);
            area.draw(&PathElement::new(vec![at(e.a), at(e.b)], style))?;
        }
        for (i, node) in self.nodes.iter().enumerate() {
            let r = self.radius(node).round() as i32;
            let fill = if node.named { DARK } else { LIGHT };
            area.draw(&Circle::new(at(i), r, fill.filled()))?;
            area.draw(&Circle::new(at(i), r, INK.stroke_width(1)))?;
        }
        // Labels last, on a translucent white box, so lines never cross the text.
        for (i, node) in self.nodes.iter().enumerate() {
            let (x, y) = at(i);
            let top = y + self.radius(node).round() as i32 + 2;
            let (w, h) = label_sizes[i];
            let half = (w / 2.0).round() as i32;
            area.draw(&Rectangle::new(
                [(x - half, top), (x + half, top + h.round() as i32)],
                WHITE.mix(0.8).filled(),
            ))?;
            area.draw_text(
                &node.name,
                &label_style.pos(Pos::new(HPos::Center, VPos::Top)),
                (x, top + 2),
            )?;
        }
        area.draw_text(
            note,
            &note_style.pos(Pos::new(HPos::Left, VPos::Bottom)),
            (24, height as i32 - 12),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword(name: &str, kind: &str, df: u64) -> KeywordRow {
        KeywordRow {
            keyword: name.to_string(),
            kind: kind.to_string(),
            df,
            articles: df,
        }
    }

    fn edge(a: &str, b: &str, stories: u64, npmi: f64) -> EdgeRow {
        EdgeRow {
            term_a: a.to_string(),
            term_b: b.to_string(),
            stories,
            npmi,
        }
    }

    #[test]
    fn selection_keeps_linked_keywords_and_gives_every_node_a_line() {
        let keywords = [
            keyword("카카오", "ORG", 10),
            keyword("서비스", "NNG", 9),
            keyword("화재", "NNG", 8),
            keyword("고립", "NNG", 7),
        ];
        let edges = [
            edge("서비스", "카카오", 9, 0.0),
            edge("카카오", "화재", 8, 0.4),
            // 2022-10-15 is an entity, not a keyword: left out.
            edge("2022-10-15", "카카오", 5, 0.9),
        ];
        let graph = select(&keywords, &edges).unwrap();
        let names: Vec<&str> = graph.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["서비스", "카카오", "화재"]);
        assert_eq!(
            graph.edges.len(),
            2,
            "서비스 keeps its best pair though NPMI is 0"
        );
        assert_eq!(graph.edges[0].npmi, 0.4);
        assert!(graph.nodes[1].named && !graph.nodes[0].named);
        assert!(select(&keywords, &edges[2..]).is_none());
    }
}
