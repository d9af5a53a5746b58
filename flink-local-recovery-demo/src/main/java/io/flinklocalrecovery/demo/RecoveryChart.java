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
package io.flinklocalrecovery.demo;

import org.apache.flink.annotation.Internal;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's summary as a bar chart (Java2D, headless, into a PNG): one group per backend and
 * failure kind, one bar without the plugin and one with it. A bar is the total recovery time; its
 * dark part is the restore time of the median subtask.
 */
@Internal
final class RecoveryChart {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 80;
    private static final int BOTTOM = 90;
    private static final Color WITHOUT = new Color(0x9e, 0x9e, 0x9e);
    private static final Color WITHOUT_RESTORE = new Color(0x55, 0x55, 0x55);
    private static final Color WITH = new Color(0x6b, 0xae, 0xd6);
    private static final Color WITH_RESTORE = new Color(0x1f, 0x5f, 0xa8);

    private record Group(String backend, String failure, Recovery without, Recovery with) {}

    private RecoveryChart() {}

    static void write(DemoSettings settings, List<Recovery> recoveries, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Group> groups = groups(settings, recoveries);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(settings, groups, g);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static List<Group> groups(DemoSettings settings, List<Recovery> recoveries) {
        List<Group> groups = new ArrayList<>();
        for (DemoSetup.Backend backend : settings.backends) {
            for (FailureKind failure : FailureKind.values()) {
                Optional<Recovery> without = Recovery.find(recoveries, backend, false, failure);
                Optional<Recovery> with = Recovery.find(recoveries, backend, true, failure);
                if (without.isPresent() && with.isPresent()) {
                    groups.add(new Group(backend.label, failure.label, without.get(), with.get()));
                }
            }
        }
        return groups;
    }

    private static void draw(DemoSettings settings, List<Group> groups, Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 16f));
        g.drawString("Recovery time with the plugin and without it (lower is better)", LEFT, 30);
        g.setFont(font);
        g.drawString(
                String.format(
                        Locale.ROOT,
                        "%s of keyed state, parallelism %d, 2 TaskManagers; remote storage emulated"
                                + " at %.0f MB/s per TaskManager + %d ms per file",
                        DemoReport.bytes(settings.stateBytes()),
                        settings.parallelism,
                        settings.remoteMbPerSecond,
                        settings.remoteLatencyMs),
                LEFT,
                52);
        FontMetrics fm = g.getFontMetrics();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double maxSeconds = 1;
        for (Group group : groups) {
            maxSeconds =
                    Math.max(
                            maxSeconds,
                            Math.max(
                                            group.without.totalRecoveryMillis(),
                                            group.with.totalRecoveryMillis())
                                    / 1e3);
        }
        double step = niceStep(maxSeconds * 1.15 / 6);
        double top = Math.ceil(maxSeconds * 1.15 / step) * step;
        for (double s = 0; s <= top + 1e-9; s += step) {
            int y = TOP + plotH - (int) Math.round(s / top * plotH);
            g.setColor(new Color(0xe4, 0xe4, 0xe4));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, step < 1 ? "%.1f s" : "%.0f s", s);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        int groupW = groups.isEmpty() ? plotW : plotW / groups.size();
        int barW = Math.min(70, groupW / 3);
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            int center = LEFT + groupW * i + groupW / 2;
            bar(g, group.without, center - barW - 4, barW, top, plotH, WITHOUT, WITHOUT_RESTORE);
            bar(g, group.with, center + 4, barW, top, plotH, WITH, WITH_RESTORE);
            g.setColor(Color.BLACK);
            centered(g, group.backend, center, TOP + plotH + 20);
            centered(g, group.failure, center, TOP + plotH + 38);
            g.setFont(font.deriveFont(Font.BOLD));
            centered(
                    g,
                    "total "
                            + verdict(
                                    group.without.totalRecoveryMillis(),
                                    group.with.totalRecoveryMillis()),
                    center,
                    TOP + plotH + 58);
            g.setFont(font);
            centered(
                    g,
                    "restore "
                            + verdict(
                                    group.without.medianRestoreMillis(),
                                    group.with.medianRestoreMillis()),
                    center,
                    TOP + plotH + 76);
        }
        legend(g, LEFT + plotW + 25, TOP + 10);
    }

    private static void bar(
            Graphics2D g,
            Recovery recovery,
            int x,
            int width,
            double topSeconds,
            int plotH,
            Color total,
            Color restore) {
        int base = TOP + plotH;
        int totalH = (int) Math.round(recovery.totalRecoveryMillis() / 1e3 / topSeconds * plotH);
        int restoreH =
                (int)
                        Math.round(
                                Math.min(
                                                recovery.medianRestoreMillis(),
                                                recovery.totalRecoveryMillis())
                                        / 1e3
                                        / topSeconds
                                        * plotH);
        g.setColor(total);
        g.fillRect(x, base - totalH, width, totalH);
        g.setColor(restore);
        g.fillRect(x, base - restoreH, width, restoreH);
        g.setColor(Color.BLACK);
        centered(
                g,
                DemoReport.seconds(recovery.totalRecoveryMillis()),
                x + width / 2,
                base - totalH - 6);
    }

    private static void legend(Graphics2D g, int x, int y) {
        Object[][] entries = {
            {WITHOUT, "no plugin: total recovery"},
            {WITHOUT_RESTORE, "no plugin: restore"},
            {WITH, "plugin: total recovery"},
            {WITH_RESTORE, "plugin: restore"}
        };
        for (Object[] entry : entries) {
            g.setColor((Color) entry[0]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString((String) entry[1], x + 22, y);
            y += 24;
        }
        g.setColor(Color.DARK_GRAY);
        y += 10;
        for (String note :
                new String[] {
                    "restore: the median subtask's",
                    "INITIALIZING time",
                    "total: from the failure until",
                    "every subtask runs again"
                }) {
            g.drawString(note, x, y);
            y += 18;
        }
    }

    private static String verdict(long withoutMillis, long withMillis) {
        String speedUp = DemoReport.speedUp(withoutMillis, withMillis);
        return withMillis < withoutMillis ? speedUp + " faster" : speedUp + " (not faster)";
    }

    private static void centered(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
