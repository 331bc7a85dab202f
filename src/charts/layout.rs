//! Node placement for the `network` chart. Takes a graph (node count, weighted edges) and gives
//! positions: a Fruchterman–Reingold force-directed layout, then, in pixels, fitted to the canvas
//! with each node's label box inside it and overlapping boxes pushed apart.
//!
//! Guarantees: no randomness — nodes start on a circle in the order given (the caller sorts them
//! by name), the iteration count and cooling are fixed and the arithmetic is sequential — so the
//! same graph gives the same positions every run; every box ends inside the bounds given.

/// Fruchterman–Reingold iterations: enough for 50 nodes to settle (the movement cap has cooled
/// to nothing by then), and cheap (50² pairs × 600 is well under a millisecond per 100).
const ITERATIONS: usize = 600;

/// Strength of the pull to the centre, relative to an edge's.
const GRAVITY: f64 = 0.3;

/// Positions in `[-1, 1]²` for `n` nodes joined by `edges` (`a`, `b`, weight > 0; the weight
/// scales the pull of the edge).
pub(crate) fn force_directed(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    // Start on a circle, nodes in the given order, slightly off perfect symmetry (a radius that
    // depends on the index) so that no two repulsions cancel exactly.
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / n as f64;
            let radius = 0.5 - 0.05 * (i % 3) as f64;
            (radius * angle.cos(), radius * angle.sin())
        })
        .collect();
    // The ideal distance between nodes: the unit area shared evenly. The plane is unbounded (a
    // wall would pile nodes up along it); the centre pull below keeps the graph together and the
    // result is scaled to the canvas afterwards.
    let k = (1.0 / n as f64).sqrt();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for iteration in 0..ITERATIONS {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
                let force = k * k / dist;
                let (fx, fy) = (dx / dist * force, dy / dist * force);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(a, b, weight) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let dist = (dx * dx + dy * dy).sqrt().max(1e-4);
            let force = dist * dist / k * weight;
            let (fx, fy) = (dx / dist * force, dy / dist * force);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        // A pull to the centre growing with distance keeps unlinked parts from drifting away.
        for (d, p) in disp.iter_mut().zip(&pos) {
            let dist = (p.0 * p.0 + p.1 * p.1).sqrt();
            d.0 -= p.0 * dist / k * GRAVITY;
            d.1 -= p.1 * dist / k * GRAVITY;
        }
        // Linear cooling: moves are capped by a temperature falling to 0.
        let temperature = 0.1 * (1.0 - iteration as f64 / ITERATIONS as f64);
        for (p, d) in pos.iter_mut().zip(&disp) {
            let length = (d.0 * d.0 + d.1 * d.1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature);
                p.0 += d.0 / length * step;
                p.1 += d.1 / length * step;
            }
        }
    }
    // Into [-1, 1]² around the centre of the bounding box.
    let (min_x, max_x, min_y, max_y) = pos.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)),
    );
    let (cx, cy) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    let half = ((max_x - min_x).max(max_y - min_y) / 2.0).max(1e-9);
    pos.iter()
        .map(|p| ((p.0 - cx) / half, (p.1 - cy) / half))
        .collect()
}

/// A node's extent around its centre in pixels: `left`, `right`, `up`, `down` (the circle and
/// its label under it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extent {
    pub left: f64,
    pub right: f64,
    pub up: f64,
    pub down: f64,
}

/// Pixel centres for `unit` positions inside `(x0, y0)..(x1, y1)`, every node's extent inside,
/// then overlaps between extents removed (up to a fixed number of passes) without leaving it.
pub(crate) fn fit(
    unit: &[(f64, f64)],
    extents: &[Extent],
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
) -> Vec<(f64, f64)> {
    let xs: Vec<f64> = unit.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = unit.iter().map(|p| p.1).collect();
    let lefts: Vec<f64> = extents.iter().map(|e| e.left).collect();
    let rights: Vec<f64> = extents.iter().map(|e| e.right).collect();
    let ups: Vec<f64> = extents.iter().map(|e| e.up).collect();
    let downs: Vec<f64> = extents.iter().map(|e| e.down).collect();
    let px = fit_axis(&xs, &lefts, &rights, x0, x1);
    let py = fit_axis(&ys, &ups, &downs, y0, y1);
    let mut centres: Vec<(f64, f64)> = px.into_iter().zip(py).collect();
    separate(&mut centres, extents, (x0, y0), (x1, y1));
    centres
}

/// One axis of [`fit`]: the largest scale `s` with an offset `o` such that every
/// `v·s + o − before ≥ lo` and `v·s + o + after ≤ hi` (found by bisection; the constraints are
/// monotone in `s`), then the positions centred in the slack.
fn fit_axis(values: &[f64], before: &[f64], after: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let window = |s: f64| {
        let low = values
            .iter()
            .zip(before)
            .map(|(v, b)| lo + b - v * s)
            .fold(f64::NEG_INFINITY, f64::max);
        let high = values
            .iter()
            .zip(after)
            .map(|(v, a)| hi - a - v * s)
            .fold(f64::INFINITY, f64::min);
        (low, high)
    };
    let (mut ok, mut too_big) = (0.0, (hi - lo).max(1.0));
    for _ in 0..60 {
        let mid = (ok + too_big) / 2.0;
        let (low, high) = window(mid);
        if low <= high {
            ok = mid;
        } else {
            too_big = mid;
        }
    }
    let (low, high) = window(ok);
    // At s = 0 the window may still be empty (a label wider than the canvas): centre it then.
    let offset = if low <= high {
        (low + high) / 2.0
    } else {
        (lo + hi) / 2.0
    };
    values.iter().map(|v| v * ok + offset).collect()
}

/// Pushes overlapping extents apart along the axis of least overlap, half each, then clamps every
/// node back inside the bounds; a fixed number of passes, stopping early when nothing overlaps.
fn separate(
    centres: &mut [(f64, f64)],
    extents: &[Extent],
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
) {
    const PASSES: usize = 300;
    const PADDING: f64 = 3.0;
    let n = centres.len();
    for _ in 0..PASSES {
        let mut moved = false;
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (extents[i], extents[j]);
                let (ca, cb) = (centres[i], centres[j]);
                let overlap_x = (ca.0 + a.right + PADDING).min(cb.0 + b.right + PADDING)
                    - (ca.0 - a.left).max(cb.0 - b.left);
                let overlap_y = (ca.1 + a.down + PADDING).min(cb.1 + b.down + PADDING)
                    - (ca.1 - a.up).max(cb.1 - b.up);
                if overlap_x <= 0.0 || overlap_y <= 0.0 {
                    continue;
                }
                moved = true;
                // Ties (same centre) are broken by index, so the result stays deterministic.
                if overlap_x < overlap_y {
                    let sign = if ca.0 < cb.0 || (ca.0 == cb.0 && i < j) {
                        -1.0
                    } else {
                        1.0
                    };
                    centres[i].0 += sign * overlap_x / 2.0;
                    centres[j].0 -= sign * overlap_x / 2.0;
                } else {
                    let sign = if ca.1 < cb.1 || (ca.1 == cb.1 && i < j) {
                        -1.0
                    } else {
                        1.0
                    };
                    centres[i].1 += sign * overlap_y / 2.0;
                    centres[j].1 -= sign * overlap_y / 2.0;
                }
            }
        }
        for (c, e) in centres.iter_mut().zip(extents) {
            c.0 = c.0.max(x0 + e.left).min(x1 - e.right);
            c.1 = c.1.max(y0 + e.up).min(y1 - e.down);
        }
        if !moved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_deterministic_and_linked_nodes_end_closer() {
        // Two triangles joined by one edge.
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
            (2, 3, 0.2),
        ];
        let a = force_directed(6, &edges);
        assert_eq!(a, force_directed(6, &edges));
        let dist =
            |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(dist(0, 1) < dist(0, 4), "{a:?}");
        assert!(dist(3, 5) < dist(1, 5), "{a:?}");
    }

    #[test]
    fn fitted_boxes_stay_inside_and_apart() {
        let unit = force_directed(12, &[(0, 1, 1.0), (2, 3, 1.0)]);
        let extents: Vec<Extent> = (0..12)
            .map(|i| Extent {
                left: 40.0 + i as f64,
                right: 40.0 + i as f64,
                up: 10.0,
                down: 30.0,
            })
            .collect();
        let centres = fit(&unit, &extents, (0.0, 0.0), (800.0, 600.0));
        for (c, e) in centres.iter().zip(&extents) {
            assert!(
                c.0 - e.left >= -1e-9 && c.0 + e.right <= 800.0 + 1e-9,
                "{c:?}"
            );
            assert!(c.1 - e.up >= -1e-9 && c.1 + e.down <= 600.0 + 1e-9, "{c:?}");
        }
        for i in 0..12 {
            for j in (i + 1)..12 {
                let (a, b) = (centres[i], centres[j]);
                let apart_x = a.0 + extents[i].right <= b.0 - extents[j].left + 1e-6
                    || b.0 + extents[j].right <= a.0 - extents[i].left + 1e-6;
                let apart_y = a.1 + extents[i].down <= b.1 - extents[j].up + 1e-6
                    || b.1 + extents[j].down <= a.1 - extents[i].up + 1e-6;
                assert!(apart_x || apart_y, "{i} and {j} overlap: {a:?} {b:?}");
            }
        }
    }
}
