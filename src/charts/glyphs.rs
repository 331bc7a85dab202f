//! The PNG backend: plotters' bitmap backend with text drawn by us. Takes the RGB buffer and the
//! chart's [`Font`](crate::charts::Font); gives a `DrawingBackend` that delegates every shape to
//! `BitMapBackend` and rasterises text with ab_glyph itself.
//!
//! Why: plotters 0.3.7's ab_glyph text path drops each glyph's left side bearing and puts the
//! baseline half a font size below the anchor, so in PNGs letters touch ("cl" reads as "d") and
//! top-anchored text pokes above its box. Here glyphs are placed at their subpixel pen position
//! with kerning, and the text block is `ascent − descent` high from its anchor. Widths are the
//! same advance sums plotters estimates with, so layouts (label areas, legends) are unchanged and
//! the PNG and the SVG agree.

use ab_glyph::{point, Font as _, FontArc, PxScale, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// `BitMapBackend` with ab_glyph text (see the module doc).
pub(crate) struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    font: FontArc,
}

impl<'a> PngBackend<'a> {
    /// Draws into `pixels` (RGB, `size.0 × size.1 × 3` bytes) with `font` for all text.
    pub(crate) fn new(pixels: &'a mut [u8], size: (u32, u32), font: FontArc) -> Self {
        PngBackend {
            inner: BitMapBackend::with_buffer(pixels, size),
            font,
        }
    }
}

type Drawn<E> = Result<(), DrawingErrorKind<E>>;

impl<'a> DrawingBackend for PngBackend<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<Self::ErrorType> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<Self::ErrorType> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<Self::ErrorType> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Drawn<Self::ErrorType> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<Self::ErrorType> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let scale = PxScale::from(style.size() as f32);
        let scaled = self.font.as_scaled(scale);
        let ascent = scaled.ascent();

        // Pen positions, kerned, in the text's own frame (top of the ascent at y = 0).
        let mut glyphs = Vec::with_capacity(text.len());
        let mut caret = 0.0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(previous) = previous {
                caret += scaled.kern(previous, id);
            }
            glyphs.push(id.with_scale_and_position(scale, point(caret, ascent)));
            caret += scaled.h_advance(id);
            previous = Some(id);
        }
        let width = caret.round() as i32;
        let height = (ascent - scaled.descent()).round() as i32;
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -width / 2,
            HPos::Right => -width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        for glyph in glyphs {
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            let (x0, y0) = (bounds.min.x as i32 + dx, bounds.min.y as i32 + dy);
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    pixels.push((x as i32 + x0, y as i32 + y0, coverage.min(1.0)));
                }
            });
            for (x, y, coverage) in pixels {
                let (x, y) = transform.transform(x, y);
                self.inner
                    .draw_pixel((pos.0 + x, pos.1 + y), color.mix(f64::from(coverage)))?;
            }
        }
        Ok(())
    }
}
