/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.benchmarks;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws recovery time (median, with min–max whiskers) versus state size, one line per setup, with
 * Java2D into a PNG. The time axis is logarithmic: remote restores are an order of magnitude slower
 * than local ones.
 */
final class RecoveryPlot {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 620;
    private static final int LEFT = 80;
    private static final int RIGHT = 330;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private RecoveryPlot() {}

    static void write(BenchmarkRun run, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(run, g);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static Color color(Setup.Backend backend) {
        switch (backend) {
            case HEAP:
                return new Color(0x1f, 0x77, 0xb4);
            case ROCKSDB_INCREMENTAL:
                return new Color(0xd6, 0x27, 0x28);
            default:
                return new Color(0x2c, 0xa0, 0x2c);
        }
    }

    private static Stroke stroke(Setup.Mode mode) {
        switch (mode) {
            case NONE:
                return new BasicStroke(
                        2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND,
                        1f,
                        new float[] {3, 4},
                        0);
            case BUILT_IN:
                return new BasicStroke(
                        2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND,
                        1f,
                        new float[] {10, 5},
                        0);
            default:
                return new BasicStroke(3f);
        }
    }

    private static void draw(BenchmarkRun run, Graphics2D g) {
        BenchmarkSettings s = run.settings;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        // value ranges
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (SetupResult r : run.throttled) {
            Stats stats = Stats.of(r.recoveryMs());
            if (!stats.empty()) {
                minMs = Math.min(minMs, stats.min);
                maxMs = Math.max(maxMs, stats.max);
            }
        }
        if (maxMs <= 0) {
            minMs = 100;
            maxMs = 10_000;
        }
        double logMin = Math.floor(Math.log10(Math.max(1, minMs)));
        double logMax = Math.ceil(Math.log10(Math.max(maxMs, minMs * 10)));
        List<Integer> sizes = new ArrayList<>(s.sizesMb);
        sizes.sort(Integer::compare);
        double sizeMin = sizes.get(0);
        double sizeMax = sizes.get(sizes.size() - 1);
        boolean logX = sizeMax / Math.max(1, sizeMin) >= 4;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();

        // title
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 16f));
        g.drawString(
                String.format(
                        Locale.ROOT,
                        "Recovery time vs state size (primary EMULATED at %.0f MB/s + %d ms)",
                        s.remoteMbPerSecond,
                        s.remoteLatencyMs),
                LEFT,
                28);
        g.setFont(font);

        // axes and grid
        g.setColor(new Color(0xdd, 0xdd, 0xdd));
        for (double e = logMin; e <= logMax; e++) {
            for (int m = 1; m < 10; m++) {
                double value = Math.pow(10, e) * m;
                if (Math.log10(value) > logMax) {
                    break;
                }
                int y = yOf(value, logMin, logMax, plotH);
                g.setColor(m == 1 ? new Color(0xbb, 0xbb, 0xbb) : new Color(0xee, 0xee, 0xee));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                if (m == 1 || m == 2 || m == 5) {
                    g.setColor(Color.DARK_GRAY);
                    String label = seconds(value);
                    g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int size : sizes) {
            int x = xOf(size, sizeMin, sizeMax, logX, plotW);
            g.setColor(new Color(0xee, 0xee, 0xee));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = size >= 1024 && size % 1024 == 0 ? (size / 1024) + " GB" : size + " MB";
            g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + 20);
        }
        g.setColor(Color.BLACK);
        String xLabel = "keyed state size (total)";
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(
                "recovery time (median, min–max), log scale", -(TOP + plotH / 2 + 130), 22);
        rotated.dispose();

        // series
        int legendY = TOP + 10;
        for (Setup setup : s.setups()) {
            List<int[]> points = new ArrayList<>();
            g.setColor(color(setup.backend));
            for (int size : sizes) {
                Optional<SetupResult> found = run.throttled(setup, size);
                if (!found.isPresent()) {
                    continue;
                }
                Stats stats = Stats.of(found.get().recoveryMs());
                if (stats.empty()) {
                    continue;
                }
                // a small horizontal offset per mode keeps the whiskers apart
                int x =
                        xOf(size, sizeMin, sizeMax, logX, plotW)
                                + (setup.backend.ordinal() - 1) * 20
                                + (setup.mode.ordinal() - 1) * 6;
                int y = yOf(stats.median, logMin, logMax, plotH);
                g.setStroke(new BasicStroke(1f));
                g.drawLine(
                        x,
                        yOf(stats.min, logMin, logMax, plotH),
                        x,
                        yOf(stats.max, logMin, logMax, plotH));
                marker(g, setup.mode, x, y);
                points.add(new int[] {x, y});
            }
            g.setStroke(stroke(setup.mode));
            for (int i = 1; i < points.size(); i++) {
                g.drawLine(
                        points.get(i - 1)[0],
                        points.get(i - 1)[1],
                        points.get(i)[0],
                        points.get(i)[1]);
            }
            // legend
            int lx = LEFT + plotW + 20;
            g.drawLine(lx, legendY, lx + 40, legendY);
            g.setStroke(new BasicStroke(1f));
            marker(g, setup.mode, lx + 20, legendY);
            g.setColor(Color.BLACK);
            g.drawString(setup.label(), lx + 50, legendY + 5);
            legendY += 24;
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        int noteY = legendY + 16;
        for (String note :
                new String[] {
                    "dotted: no local recovery",
                    "dashed: Flink built-in",
                    "solid: plugin",
                    String.format(Locale.ROOT, "%d failure(s) per point", s.failures),
                    "remote store emulated (throttled://)"
                }) {
            g.drawString(note, LEFT + plotW + 20, noteY);
            noteY += 18;
        }
    }

    private static void marker(Graphics2D g, Setup.Mode mode, int x, int y) {
        switch (mode) {
            case NONE:
                g.drawRect(x - 4, y - 4, 8, 8);
                break;
            case BUILT_IN:
                g.drawPolygon(new int[] {x, x + 5, x - 5}, new int[] {y - 5, y + 4, y + 4}, 3);
                break;
            default:
                g.fillOval(x - 5, y - 5, 10, 10);
                break;
        }
    }

    private static int xOf(double size, double min, double max, boolean log, int plotW) {
        if (max <= min) {
            return LEFT + plotW / 2;
        }
        double fraction =
                log
                        ? (Math.log(size) - Math.log(min)) / (Math.log(max) - Math.log(min))
                        : (size - min) / (max - min);
        return LEFT + 40 + (int) Math.round(fraction * (plotW - 80));
    }

    private static int yOf(double ms, double logMin, double logMax, int plotH) {
        double fraction = (Math.log10(Math.max(ms, 1e-3)) - logMin) / (logMax - logMin);
        return TOP + plotH - (int) Math.round(fraction * plotH);
    }

    private static String seconds(double ms) {
        double s = ms / 1000;
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        if (s >= 0.1) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        return String.format(Locale.ROOT, "%.2f s", s);
    }
}
