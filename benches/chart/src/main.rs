//! Draws the ratio table of `benches/RESULTS.md` (written by `benches/report.sh`) as an SVG bar
//! chart: one bar per row, netorder's time divided by the best peer's, on a logarithmic axis
//! with a line at 1.0 (left of it netorder is faster, right of it slower).
//!
//! `cargo run --release --manifest-path benches/chart/Cargo.toml -- benches/RESULTS.md benches/ratios.svg`

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;

/// One row of the table.
struct Row {
    label: String,
    ratio: f64,
}

/// The rows of the first table whose header starts `| operation | netorder | time`.
fn rows(markdown: &str) -> Vec<Row> {
    let mut lines = markdown
        .lines()
        .skip_while(|l| !l.starts_with("| operation | netorder | time"))
        .skip(2);
    let mut rows = Vec::new();
    while let Some(line) = lines.next().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [op, ours, _, peer, _, ratio] = cells[..] else {
            continue;
        };
        let Ok(ratio) = ratio.parse::<f64>() else {
            continue;
        };
        let name = |s: &str| s.trim_matches('`').to_owned();
        rows.push(Row {
            label: format!("{op}: {} vs {}", name(ours), name(peer)),
            ratio,
        });
    }
    rows
}

fn draw(rows: &[Row], area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), Box<dyn Error>> {
    area.fill(&WHITE)?;
    let lo = rows.iter().map(|r| r.ratio).fold(1.0, f64::min) / 1.6;
    let hi = rows.iter().map(|r| r.ratio).fold(1.0, f64::max) * 1.6;
    let n = rows.len();
    let mut chart = ChartBuilder::on(area)
        .caption(
            "netorder ÷ best peer, median time: green below 1.0 (netorder faster), red above",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(560)
        .build_cartesian_2d((lo..hi).log_scale(), (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_style(("sans-serif", 12))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < n => rows[n - 1 - i].label.clone(),
            _ => String::new(),
        })
        .x_desc("ratio (log scale)")
        .x_label_formatter(&|x| format!("{x:.2}"))
        .draw()?;
    let faster = RGBColor(46, 139, 87);
    let slower = RGBColor(214, 96, 77);
    // The table's first row at the top: row `k` is drawn in segment `n - 1 - k`.
    let at = |k: usize| n - 1 - k;
    chart.draw_series(rows.iter().enumerate().map(|(k, r)| {
        let i = at(k);
        let color = if r.ratio <= 1.0 { faster } else { slower };
        let mut bar = Rectangle::new(
            [
                (1.0, SegmentValue::Exact(i)),
                (r.ratio, SegmentValue::Exact(i + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(2, 2, 0, 0);
        bar
    }))?;
    chart.draw_series(rows.iter().enumerate().map(|(k, r)| {
        let i = at(k);
        let (x, anchor) = if r.ratio <= 1.0 {
            (r.ratio / 1.03, Pos::new(HPos::Right, VPos::Center))
        } else {
            (r.ratio * 1.03, Pos::new(HPos::Left, VPos::Center))
        };
        Text::new(
            format!("{:.2}", r.ratio),
            (x, SegmentValue::CenterOf(i)),
            ("sans-serif", 11).into_font().color(&BLACK).pos(anchor),
        )
    }))?;
    // The line at 1.0: netorder as fast as the best peer.
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Last)],
        BLACK.stroke_width(2),
    )))?;
    area.present()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = &args[..] else {
        return Err("usage: netorder-bench-chart RESULTS.md OUT.svg".into());
    };
    let rows = rows(&std::fs::read_to_string(input)?);
    if rows.is_empty() {
        return Err(format!("{input}: no ratio table").into());
    }
    let height = 90 + 20 * rows.len() as u32;
    let area = SVGBackend::new(output, (1200, height)).into_drawing_area();
    draw(&rows, &area)?;
    println!("wrote {output}: {} bars", rows.len());
    Ok(())
}
