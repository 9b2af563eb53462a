/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's plots, drawn off-screen with JFreeChart and saved as PNG files. */
public final class QcCharts {
  public static final String PER_POSITION_QUALITY = "per-position-quality.png";
  public static final String LENGTH_DISTRIBUTION = "length-distribution.png";
  public static final String GC_CONTENT = "gc-content.png";
  public static final String MEAN_QUALITY = "mean-quality.png";

  private static final Color GOOD = new Color(0xC8, 0xF0, 0xC8);
  private static final Color REASONABLE = new Color(0xF0, 0xE0, 0xC0);
  private static final Color POOR = new Color(0xF0, 0xC8, 0xC8);
  private static final Color BOX = new Color(0xF2, 0xD2, 0x3C);
  private static final Color LINE = new Color(0x1F, 0x5F, 0xBF);
  private static final Color MODEL = new Color(0xC0, 0x30, 0x30);

  private QcCharts() {}

  /** Writes every plot of the report into {@code dir}. */
  static void writeAll(Path dir, QcStats s) throws IOException {
    save(dir.resolve(PER_POSITION_QUALITY), perPositionQuality(s), 1000, 480);
    save(dir.resolve(LENGTH_DISTRIBUTION), lengthDistribution(s), 800, 400);
    save(dir.resolve(GC_CONTENT), gcContent(s), 800, 400);
    save(dir.resolve(MEAN_QUALITY), meanQuality(s), 800, 400);
  }

  private static void save(Path file, JFreeChart chart, int width, int height) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }

  /**
   * FastQC's per-base quality plot: a box (quartiles) and whiskers (10th to 90th percentile) per
   * cycle, a line through the means, and the green / orange / red quality bands behind.
   */
  static JFreeChart perPositionQuality(QcStats s) {
    // The XY box-and-whisker dataset keys items by Date; its milliseconds serve as the cycle.
    DefaultBoxAndWhiskerXYDataset boxes = new DefaultBoxAndWhiskerXYDataset("quality");
    XYSeries means = new XYSeries("mean");
    int maxQuality = 40;
    for (int b = 0; b < s.positionBuckets(); b++) {
      QcStats.QualityDistribution q = s.positionQuality(b);
      if (q.total() == 0) {
        continue;
      }
      long cycle = QcStats.bucketFirstCycle(b);
      boxes.add(
          new Date(cycle),
          new BoxAndWhiskerItem(
              null, // the mean is drawn as a line instead of a dot per box
              q.percentile(50),
              q.percentile(25),
              q.percentile(75),
              q.percentile(10),
              q.percentile(90),
              null,
              null,
              List.of()));
      means.add(cycle, q.mean());
      maxQuality = Math.max(maxQuality, q.percentile(90));
    }
    NumberAxis x = new NumberAxis("position in read (cycle)");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("Phred quality");
    y.setRange(0, maxQuality + 2);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());

    XYBoxAndWhiskerRenderer boxRenderer = new XYBoxAndWhiskerRenderer();
    boxRenderer.setBoxPaint(BOX);
    boxRenderer.setFillBox(true);
    boxRenderer.setArtifactPaint(MODEL); // the median line
    boxRenderer.setSeriesPaint(0, Color.BLACK);
    boxRenderer.setDefaultToolTipGenerator(null);

    XYPlot plot = new XYPlot(boxes, x, y, boxRenderer);
    XYLineAndShapeRenderer meanRenderer = new XYLineAndShapeRenderer(true, false);
    meanRenderer.setSeriesPaint(0, LINE);
    meanRenderer.setSeriesStroke(0, new BasicStroke(2f));
    plot.setDataset(1, new XYSeriesCollection(means));
    plot.setRenderer(1, meanRenderer);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // means over the boxes
    band(plot, 28, maxQuality + 2, GOOD);
    band(plot, 20, 28, REASONABLE);
    band(plot, 0, 20, POOR);
    style(plot);
    JFreeChart chart = new JFreeChart("Quality scores across all bases", plot);
    chart.removeLegend();
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void band(XYPlot plot, double from, double to, Color color) {
    IntervalMarker m = new IntervalMarker(from, to, color);
    m.setOutlinePaint(null);
    plot.addRangeMarker(m, Layer.BACKGROUND);
  }

  /** Reads per length; lengths are grouped into about 100 bins when they span more than 300. */
  static JFreeChart lengthDistribution(QcStats s) {
    Map<Long, Long> lengths = s.lengthCounts();
    XYSeries series = new XYSeries("reads");
    long binWidth = 1;
    if (!lengths.isEmpty()) {
      long min = s.minLength();
      long span = s.maxLength() - min + 1;
      binWidth = span <= 300 ? 1 : (span + 99) / 100;
      TreeMap<Long, Long> bins = new TreeMap<>();
      for (Map.Entry<Long, Long> e : lengths.entrySet()) {
        long bin = min + (e.getKey() - min) / binWidth * binWidth;
        bins.merge(bin, e.getValue(), Long::sum);
      }
      for (Map.Entry<Long, Long> e : bins.entrySet()) {
        series.add(e.getKey() + (binWidth - 1) / 2.0, e.getValue());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection(series);
    data.setIntervalWidth(binWidth);
    NumberAxis x =
        new NumberAxis(
            binWidth == 1 ? "read length (bp)" : "read length (bp, bins of " + binWidth + ")");
    x.setAutoRangeIncludesZero(false);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis("reads");
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYBarRenderer bars = new XYBarRenderer(0.1);
    bars.setBarPainter(new StandardXYBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, LINE);
    bars.setDrawBarOutline(false);
    XYPlot plot = new XYPlot(data, x, y, bars);
    style(plot);
    JFreeChart chart = new JFreeChart("Distribution of read lengths", plot);
    chart.removeLegend();
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Reads by GC %, with the normal curve of the same mean and standard deviation. */
  static JFreeChart gcContent(QcStats s) {
    long[] counts = s.gcContentCounts();
    XYSeries observed = new XYSeries("GC count per read");
    long total = 0;
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      observed.add(i, counts[i]);
      total += counts[i];
      sum += (double) i * counts[i];
    }
    XYSeries model = new XYSeries("theoretical distribution");
    if (total > 0) {
      double mean = sum / total;
      double var = 0;
      for (int i = 0; i < counts.length; i++) {
        var += counts[i] * (i - mean) * (i - mean);
      }
      double sd = Math.sqrt(var / total);
      for (int i = 0; i <= 100; i++) {
        double density =
            sd == 0
                ? (i == Math.round(mean) ? 1 : 0)
                : Math.exp(-0.5 * Math.pow((i - mean) / sd, 2)) / (sd * Math.sqrt(2 * Math.PI));
        model.add(i, total * density);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection(observed);
    data.addSeries(model);
    NumberAxis x = new NumberAxis("mean GC content (%)");
    x.setRange(0, 100);
    NumberAxis y = new NumberAxis("reads");
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setSeriesPaint(0, MODEL);
    lines.setSeriesPaint(1, LINE);
    lines.setSeriesStroke(0, new BasicStroke(2f));
    lines.setSeriesStroke(1, new BasicStroke(1.5f));
    XYPlot plot = new XYPlot(data, x, y, lines);
    style(plot);
    JFreeChart chart = new JFreeChart("GC distribution over all reads", plot);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Reads by their mean Phred quality. */
  static JFreeChart meanQuality(QcStats s) {
    long[] counts = s.meanQualityCounts();
    int last = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        last = i;
      }
    }
    XYSeries series = new XYSeries("reads");
    for (int i = 0; i <= Math.max(last + 1, 41); i++) {
      series.add(i, i < counts.length ? counts[i] : 0);
    }
    NumberAxis x = new NumberAxis("mean sequence quality (Phred)");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis("reads");
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setSeriesPaint(0, MODEL);
    lines.setSeriesStroke(0, new BasicStroke(2f));
    XYPlot plot = new XYPlot(new XYSeriesCollection(series), x, y, lines);
    style(plot);
    JFreeChart chart = new JFreeChart("Quality score distribution over all reads", plot);
    chart.removeLegend();
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
  }
}
