//! Makes an SVG carry its own font, so that it renders as the PNG does on any
//! viewer: the text was laid out for Noto Sans, and a viewer that fell back
//! to another sans-serif (DejaVu Sans is wider) would run titles past the
//! edge and legend text out of its box.
//!
//! [`embed`] adds an `@font-face` rule with Noto Sans (regular and, if used,
//! bold) as a `data:` URI and points every `<text>` at it. The font is
//! subset to the glyphs the SVG uses: the other glyphs' outlines are
//! dropped while glyph ids, `cmap` and metrics stay as they are, so the
//! subset is a valid font for any text made of the same characters. The
//! layout tables (`GSUB`, `GPOS`) are dropped too: plotters lays text out
//! glyph by glyph, and a viewer that applied ligatures or kerning would
//! place text differently from the PNG.

use std::collections::BTreeSet;

use ab_glyph::{Font, FontRef};

/// The family name the SVG's text asks for first: unique, so that an
/// installed Noto Sans of another version is not picked instead.
pub const FAMILY: &str = "brink Noto Sans";

/// `svg` with the font embedded (unchanged if it has no text).
pub fn embed(svg: &str) -> String {
    let (regular, bold) = used_chars(svg);
    if regular.is_empty() && bold.is_empty() {
        return svg.to_string();
    }
    // Each SVG embeds only the glyphs it uses, so each subset gets its own
    // family name: several SVGs inlined in one page (report.html) share one
    // stylesheet, and one family name would make every plot use one plot's
    // subset, dropping the glyphs it lacks.
    let family_name = format!("{FAMILY} {:08x}", subset_key(&regular, &bold));
    let mut faces = String::new();
    for (chars, font, weight) in [(&regular, notosans::REGULAR_TTF, "normal"), (&bold, notosans::BOLD_TTF, "bold")] {
        if chars.is_empty() {
            continue;
        }
        let data = subset(font, chars).unwrap_or_else(|| font.to_vec());
        faces.push_str(&format!(
            "@font-face{{font-family:'{family_name}';font-weight:{weight};src:url(data:font/ttf;base64,{})}}",
            base64(&data)
        ));
    }
    let family = format!("font-family=\"'{family_name}', 'Noto Sans', sans-serif\"");
    let body = em_sizes(&svg.replace("font-family=\"sans-serif\"", &family));
    // The style goes right after the opening <svg …> tag.
    match body.find("<svg").and_then(|start| body[start..].find('>').map(|end| start + end + 1)) {
        Some(at) => format!("{}\n<defs><style>{faces}</style></defs>{}", &body[..at], &body[at..]),
        None => body,
    }
}

/// A short, deterministic key of the glyph sets (FNV-1a over the characters).
fn subset_key(regular: &BTreeSet<char>, bold: &BTreeSet<char>) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in regular.iter().chain(std::iter::once(&'\0')).chain(bold.iter()) {
        for b in (*c as u32).to_le_bytes() {
            h = (h ^ b as u32).wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// The same SVG with every `font-size` made the em size the PNG uses.
///
/// plotters writes `font-size` as its size / 1.24, but lays text out in the
/// PNG with ab_glyph, whose scale is the font's height (ascent − descent),
/// which for Noto Sans is 1.362 em: in a viewer the SVG's text came out 10%
/// wider than the PNG's. The em size of a plotters size `s` is
/// `s · units_per_em / height`.
fn em_sizes(svg: &str) -> String {
    let font = FontRef::try_from_slice(notosans::REGULAR_TTF).ok();
    let ratio = font.map_or(1.24, |f| f64::from(f.height_unscaled() / f.units_per_em().unwrap_or(1000.0)));
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    const KEY: &str = "font-size=\"";
    while let Some(at) = rest.find(KEY) {
        let start = at + KEY.len();
        let Some(len) = rest[start..].find('"') else { break };
        out.push_str(&rest[..start]);
        match rest[start..start + len].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{:.3}", v * 1.24 / ratio)),
            Err(_) => out.push_str(&rest[start..start + len]),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// The characters of the regular and of the bold `<text>` elements.
fn used_chars(svg: &str) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(open_end) = rest[start..].find('>').map(|e| start + e) else { break };
        let Some(close) = rest[open_end..].find("</text>").map(|e| open_end + e) else { break };
        let tag = &rest[start..open_end];
        let target = if tag.contains("font-weight=\"bold\"") { &mut bold } else { &mut regular };
        target.extend(unescape(&rest[open_end + 1..close]).chars().filter(|c| !c.is_control()));
        target.insert(' ');
        rest = &rest[close..];
    }
    (regular, bold)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// A copy of the TrueType font `font` with the outlines of every glyph not
/// needed for `chars` removed (see the module docs); `None` if the font is
/// not a TrueType font this code understands (then the caller embeds it
/// whole).
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let parsed = FontRef::try_from_slice(font).ok()?;
    // The tables, by tag.
    let count = u16_at(font, 4)? as usize;
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(count);
    for k in 0..count {
        let rec = 12 + 16 * k;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let (offset, length) = (u32_at(font, rec + 8)? as usize, u32_at(font, rec + 12)? as usize);
        tables.push((tag, font.get(offset..offset + length)?));
    }
    let table = |t: &[u8; 4]| tables.iter().find(|(tag, _)| tag == t).map(|(_, d)| *d);
    let (head, loca, glyf, maxp) = (table(b"head")?, table(b"loca")?, table(b"glyf")?, table(b"maxp")?);
    let glyphs = u16_at(maxp, 4)? as usize;
    let long = u16_at(head, 50)? == 1;
    let offset = |g: usize| -> Option<usize> {
        if long { u32_at(loca, 4 * g).map(|x| x as usize) } else { u16_at(loca, 2 * g).map(|x| 2 * x as usize) }
    };

    // The glyphs to keep: .notdef, each character's glyph, and the parts of
    // composite glyphs (accented letters), transitively.
    let mut keep = BTreeSet::new();
    let mut todo: Vec<u16> = std::iter::once(0).chain(chars.iter().map(|&c| parsed.glyph_id(c).0)).collect();
    while let Some(g) = todo.pop() {
        if g as usize >= glyphs || !keep.insert(g) {
            continue;
        }
        let (start, end) = (offset(g as usize)?, offset(g as usize + 1)?);
        let data = glyf.get(start..end)?;
        if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
            let mut at = 10;
            loop {
                let flags = u16_at(data, at)?;
                todo.push(u16_at(data, at + 2)?);
                at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
                at += match () {
                    _ if flags & 0x0008 != 0 => 2,
                    _ if flags & 0x0040 != 0 => 4,
                    _ if flags & 0x0080 != 0 => 8,
                    _ => 0,
                };
                if flags & 0x0020 == 0 {
                    break;
                }
            }
        }
    }

    // New glyf and (long) loca: kept glyphs copied, the others empty.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for g in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&(g as u16)) {
            new_glyf.extend_from_slice(glyf.get(offset(g)?..offset(g + 1)?)?);
            while !new_glyf.len().is_multiple_of(4) {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
    new_head.get_mut(8..12)?.copy_from_slice(&0u32.to_be_bytes());

    let kept: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .filter(|(tag, _)| !matches!(tag, b"GSUB" | b"GPOS" | b"DSIG"))
        .map(|(tag, data)| {
            let data = match tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => new_head.clone(),
                _ => data.to_vec(),
            };
            (*tag, data)
        })
        .collect();
    Some(assemble(font.get(0..4)?, &kept))
}

/// Writes an sfnt: the offset table, the table records (sorted by tag, as
/// the format requires), the tables padded to 4 bytes, the checksums and
/// head's checksum adjustment.
fn assemble(version: &[u8], tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut tables: Vec<&([u8; 4], Vec<u8>)> = tables.iter().collect();
    tables.sort_by_key(|(tag, _)| *tag);
    let n = tables.len() as u16;
    let pow = 1u16 << (15 - n.leading_zeros().min(15));
    let mut out = Vec::new();
    out.extend_from_slice(version);
    for v in [n, pow * 16, pow.trailing_zeros() as u16, n * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut at = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(at as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(at);
        }
        at += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(h) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                s.push(ABC[(v >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn issue_16_subset_keeps_the_used_glyphs_and_is_a_valid_font() {
        let chars: BTreeSet<char> = "Kalai–Smorodinsky é 0.714%".chars().collect();
        let small = subset(notosans::REGULAR_TTF, &chars).expect("Noto Sans is TrueType");
        assert!(small.len() < notosans::REGULAR_TTF.len() / 2, "{} bytes", small.len());
        let font = FontRef::try_from_slice(&small).expect("the subset parses");
        let full = FontRef::try_from_slice(notosans::REGULAR_TTF).unwrap();
        for c in chars.iter().filter(|c| !c.is_whitespace()) {
            let g = font.glyph_id(*c);
            assert_eq!(g, full.glyph_id(*c), "glyph ids are kept");
            assert!(font.outline(g).is_some(), "{c} has its outline");
            assert_eq!(font.h_advance_unscaled(g), full.h_advance_unscaled(g));
        }
        assert!(font.outline(font.glyph_id('Q')).is_none(), "unused outlines are dropped");
    }

    #[test]
    fn svgs_with_different_glyphs_get_different_font_families() {
        // report.html inlines several SVGs into one page, whose @font-face
        // rules are global: one shared family name made every plot use the
        // first plot's subset, and letters it lacked vanished.
        let svg = |text: &str| {
            format!(
                "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><text font-family=\"sans-serif\">{text}</text></svg>"
            )
        };
        let family = |out: &str| out.split("font-family:'").nth(1).unwrap().split('\'').next().unwrap().to_string();
        let (a, b) = (embed(&svg("How the talks ended")), embed(&svg("share of runs 90%")));
        assert_ne!(family(&a), family(&b));
        assert_eq!(family(&a), family(&embed(&svg("How the talks ended"))), "deterministic");
        assert!(a.contains(&format!("font-family=\"'{}'", family(&a))), "the text asks for its own subset");
    }

    #[test]
    fn issue_16_svg_text_asks_for_the_embedded_font() {
        let svg = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"1\" font-family=\"sans-serif\" font-weight=\"bold\">A &amp; B\n</text>\n<text font-family=\"sans-serif\">c</text></svg>";
        let (regular, bold) = used_chars(svg);
        assert_eq!(regular, BTreeSet::from(['c', ' ']));
        assert_eq!(bold, BTreeSet::from(['A', '&', 'B', ' ']));
        let out = embed(svg);
        assert_eq!(out.matches("@font-face").count(), 2);
        assert!(out.contains("font-weight:bold") && out.contains("data:font/ttf;base64,"));
        assert!(!out.contains("font-family=\"sans-serif\""));
        assert!(
            out.starts_with("<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n<defs><style>")
        );
    }
}
