/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * FastQC's modules over all inputs (as {@link FastqcReport} writes them per sample), as a section
 * of the merged HTML report: each module with its PASS / WARN / FAIL, a plot of its table (a heat
 * map for per-tile quality; Basic Statistics and Overrepresented sequences are tables) and the
 * table.
 */
final class FastqcHtml {
  private FastqcHtml() {}

  /**
   * Draws the plots into {@code dir} as {@code fastqc-<module>.png}; returns the section's HTML.
   */
  static String write(Path dir, FastqcJob.Sample all, FastqcConfig cfg) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<h2 id=\"fastqc\">FastQC modules, all inputs</h2>\n")
        .append("<p>FastQC 0.11.9's modules over all inputs read one after another in file-URI")
        .append(" order, with FastQC's estimates and limits (as <code>--merge</code> writes them")
        .append(" to <code>merged_fastqc/fastqc_data.txt</code>).</p>\n");
    for (FastqcReport.Module m :
        FastqcReport.modules(all.fileName(), all.stats, all.duplication, cfg)) {
      h.append("<h3>")
          .append(QcReport.escape(m.name))
          .append(" <span class=\"")
          .append(m.status.toLowerCase(Locale.ROOT))
          .append("\">")
          .append(m.status)
          .append("</span></h3>\n");
      Table t = Table.parse(m.body);
      for (String[] note : t.notes) {
        h.append("<p>")
            .append(QcReport.escape(note[0]))
            .append(note.length > 1 ? ": " + QcReport.escape(note[1]) : "")
            .append("</p>\n");
      }
      String file = "fastqc-" + m.name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
      file = file.replaceAll("-$", "") + ".png";
      boolean plotted = false;
      if (m.name.equals("Per tile sequence quality")) {
        ImageIO.write(tileHeatMap(t), "png", dir.resolve(file).toFile());
        plotted = true;
      } else if (!m.name.equals("Basic Statistics")
          && !m.name.equals("Overrepresented sequences")
          && !t.rows.isEmpty()) {
        JFreeChart chart = lines(m.name, t);
        if (chart != null) {
          ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, 900, 400);
          plotted = true;
        }
      }
      if (plotted) {
        h.append("<p><img src=\"")
            .append(file)
            .append("\" alt=\"")
            .append(QcReport.escape(m.name))
            .append("\"></p>\n");
      }
      if (t.header != null) {
        h.append(plotted ? "<details><summary>Table</summary>\n" : "").append("<table>\n<tr>");
        for (String c : t.header) {
          h.append("<th>").append(QcReport.escape(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (String[] r : t.rows) {
          h.append("<tr>");
          for (String c : r) {
            h.append(c.matches("[ACGTN]{8,}") ? "<td class=\"seq\">" : "<td>")
                .append(QcReport.escape(c))
                .append("</td>");
          }
          h.append("</tr>\n");
        }
        h.append("</table>\n").append(plotted ? "</details>\n" : "");
      }
    }
    return h.toString();
  }

  /** A module's body: '#' lines before the last one (notes), its last '#' line (header), rows. */
  static final class Table {
    final List<String[]> notes = new ArrayList<>();
    String[] header;
    final List<String[]> rows = new ArrayList<>();

    static Table parse(String body) {
      Table t = new Table();
      for (String line : body.split("\n", -1)) {
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("#")) {
          if (t.header != null) {
            t.notes.add(t.header);
          }
          t.header = line.substring(1).split("\t", -1);
        } else {
          t.rows.add(line.split("\t", -1));
        }
      }
      return t;
    }
  }

  /** The numeric columns as lines over the first column's values (positions, levels, ...). */
  static JFreeChart lines(String title, Table t) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    boolean any = false;
    for (String[] r : t.rows) {
      for (int c = 1; c < r.length && c < t.header.length; c++) {
        double v;
        try {
          v = Double.parseDouble(r[c]);
        } catch (NumberFormatException e) {
          continue; // a text cell: not plotted
        }
        if (!Double.isNaN(v)) {
          data.addValue(v, t.header[c], r[0]);
          any = true;
        }
      }
    }
    if (!any) {
      return null;
    }
    JFreeChart chart =
        ChartFactory.createLineChart(
            title, t.header[0], null, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    CategoryAxis x = plot.getDomainAxis();
    x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
    x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    return chart;
  }

  /**
   * FastQC's per-tile plot: a cell per tile (row) and base group (column), blue where the tile's
   * mean quality is at or above the mean over all tiles, towards red the more it falls below (red
   * at 10 or more below).
   */
  static BufferedImage tileHeatMap(Table t) {
    List<String> tiles = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (String[] r : t.rows) {
      if (!tiles.contains(r[0])) {
        tiles.add(r[0]);
      }
      if (!groups.contains(r[1])) {
        groups.add(r[1]);
      }
    }
    int left = 70;
    int top = 30;
    int cellW = Math.max(4, 760 / Math.max(1, groups.size()));
    int cellH = Math.max(3, Math.min(16, 500 / Math.max(1, tiles.size())));
    int width = left + cellW * groups.size() + 20;
    int height = top + cellH * tiles.size() + 60;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString("Quality per tile (deviation from the mean over all tiles)", left, 18);
      for (String[] r : t.rows) {
        double v = Double.parseDouble(r[2]);
        double bad = Math.max(0, Math.min(1, -v / 10));
        g.setColor(
            new Color((int) (40 + 200 * bad), (int) (60 * (1 - bad)), (int) (200 * (1 - bad))));
        g.fillRect(
            left + groups.indexOf(r[1]) * cellW, top + tiles.indexOf(r[0]) * cellH, cellW, cellH);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
      int every = Math.max(1, 12 / cellH);
      for (int i = 0; i < tiles.size(); i += every) {
        g.drawString(tiles.get(i), 5, top + i * cellH + cellH);
      }
      int labelEvery = Math.max(1, 40 / cellW);
      for (int i = 0; i < groups.size(); i += labelEvery) {
        g.drawString(groups.get(i), left + i * cellW, top + tiles.size() * cellH + 14);
      }
      g.drawString("tile", 5, top - 4);
      g.drawString("position in read (bp)", left, top + tiles.size() * cellH + 32);
    } finally {
      g.dispose();
    }
    return img;
  }
}
