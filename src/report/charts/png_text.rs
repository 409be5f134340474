//! The PNG backend with text placed as the SVG places it.
//!
//! plotters' ab_glyph text drawing puts each glyph's ink at the pen
//! position, dropping the glyph's left side bearing, so letters with
//! different bearings crowd or touch: at legend size "cl" read as "d"
//! ("dear-eyed", "dock-driven"). [`PngBackend`] wraps the bitmap backend
//! and draws text itself: each glyph's ink starts at the pen position plus
//! its bearing, the pen moving by the font's advances and kerning, as in any
//! text renderer (and in the SVG, which a browser lays out). Everything
//! else, including where a text box is anchored, is plotters' own.

use std::path::Path;

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
};

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

/// The bitmap backend, with text drawn by [`glyphs`].
pub struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> PngBackend<'a> {
    pub fn new(path: &'a Path, size: (u32, u32)) -> Self {
        PngBackend { inner: BitMapBackend::new(path, size) }
    }

    /// Draws into an RGB buffer of `size` (tests).
    pub fn with_buffer(buffer: &'a mut [u8], size: (u32, u32)) -> Self {
        PngBackend { inner: BitMapBackend::with_buffer(buffer, size) }
    }
}

/// The font plotters resolves for a text style: the charts register Noto
/// Sans as their only family.
fn font_for(style: FontStyle) -> FontRef<'static> {
    let bytes = if matches!(style, FontStyle::Bold) { notosans::BOLD_TTF } else { notosans::REGULAR_TTF };
    FontRef::try_from_slice(bytes).expect("the bundled Noto Sans parses")
}

/// One glyph of a laid-out line: its ink's coverage at pixel offsets from
/// the text box's top left corner.
pub struct PlacedGlyph {
    pub c: char,
    /// Where the glyph's ink starts, from the box's left edge (pen position
    /// plus the glyph's left side bearing), in pixels.
    pub ink_left: f32,
    pub coverage: Vec<(i32, i32, f32)>,
}

/// Lays out `text` at `size` (plotters' size: the font's height in pixels)
/// the way plotters lays out the box, with each glyph at its pen position
/// plus its bearing.
pub fn glyphs(font: &FontRef<'_>, size: f32, text: &str) -> Vec<PlacedGlyph> {
    let scaled = font.as_scaled(size);
    let mut pen = 0f32;
    let mut prev = None;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        let glyph = id.with_scale_and_position(size, ab_glyph::point(pen, 0.0));
        if let Some(q) = scaled.outline_glyph(glyph) {
            let rect = q.px_bounds();
            // Vertically as plotters does, so that boxes and anchors agree.
            let top = (size / 2.0 + rect.min.y) as i32;
            let left = rect.min.x.round() as i32;
            let mut coverage = Vec::new();
            q.draw(|x, y, a| coverage.push((x as i32 + left, y as i32 + top, a)));
            out.push(PlacedGlyph { c, ink_left: rect.min.x, coverage });
        }
        pen += scaled.h_advance(id);
    }
    out
}

impl DrawingBackend for PngBackend<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// plotters' own `draw_text`, with the glyphs from [`glyphs`].
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) =
            style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let font = font_for(style.style());
        for glyph in glyphs(&font, style.size() as f32, text) {
            for (x, y, a) in glyph.coverage {
                let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    let alpha = color.alpha * f64::from(a);
                    self.draw_pixel((x, y), BackendColor { alpha, rgb: color.rgb })?;
                }
            }
        }
        Ok(())
    }
}
