package org.peft4j.runner.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.util.Locale;

/**
 * Paints a {@link FreezeGrid} as a heatmap with Java2D: one row per layer (layer 0 at the top), one column per
 * module × role, each cell coloured by the step at which it froze on a dark-to-light scale from step 1 to the last
 * step and labelled with that step. Cells frozen from the start are near-black and labelled {@code start}; cells that
 * never froze are light grey, hatched and labelled {@code never}, so neither can be mistaken for a step. A colour bar
 * and the two special swatches form the legend on the right.
 */
final class FreezeHeatmap {

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color START = new Color(0x2b2b2b);
    private static final Color NEVER = new Color(0xeeeeee);
    private static final Color HATCH = new Color(0xcfcfcf);
    private static final Color GRID = Color.WHITE;
    /** Stops of the step colour scale, early to late. */
    private static final Color[] SCALE = {new Color(0x3b0f70), new Color(0x1f6f8b), new Color(0x2ca58d), new Color(0x9bd54a),
        new Color(0xf4e04d)};
    private static final int CELL_W = 58;
    private static final int CELL_H = 26;
    private static final int LEGEND_W = 170;
    private static final int PAD = 16;

    private final FreezeGrid grid;
    private final String title;
    private final int labelWidth;
    private final int columnLabelHeight;

    FreezeHeatmap(FreezeGrid grid, String title) {
        this.grid = grid;
        this.title = title;
        Graphics2D probe = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics fm = probe.getFontMetrics(LABEL);
        probe.dispose();
        int lw = 0;
        for (String r : grid.rows()) {
            lw = Math.max(lw, fm.stringWidth(r));
        }
        int cw = 0;
        for (String c : grid.columns()) {
            cw = Math.max(cw, fm.stringWidth(c));
        }
        this.labelWidth = lw;
        // column labels are drawn at 45 degrees
        this.columnLabelHeight = (int) Math.ceil(cw * Math.sqrt(0.5)) + fm.getHeight() + 8;
    }

    /** The image width in points. */
    int width() {
        return PAD + 22 + labelWidth + 8 + grid.columns().size() * CELL_W + 24 + LEGEND_W + PAD;
    }

    /** The image height in points. */
    int height() {
        int body = Math.max(grid.rows().size() * CELL_H, 150);
        return PAD + 30 + body + columnLabelHeight + 26 + PAD;
    }

    /** Paints the heatmap into {@code g}, whose user space is {@link #width()} × {@link #height()}. */
    void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (width() - tm.stringWidth(title)) / 2, PAD + tm.getAscent());

        int x0 = PAD + 22 + labelWidth + 8;
        int y0 = PAD + 30;
        int rows = grid.rows().size();
        int cols = grid.columns().size();
        long last = Math.max(1, grid.lastStep());

        g.setFont(CELL);
        FontMetrics cm = g.getFontMetrics();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x = x0 + c * CELL_W;
                int y = y0 + r * CELL_H;
                long v = grid.cells()[r][c];
                String text;
                Color fill;
                if (v == FreezeGrid.NEVER) {
                    fill = NEVER;
                    text = "never";
                } else if (v <= FreezeGrid.FROM_START) {
                    fill = START;
                    text = "start";
                } else {
                    fill = scale((double) (v - 1) / Math.max(1, last - 1));
                    text = Long.toString(v);
                }
                g.setColor(fill);
                g.fillRect(x, y, CELL_W, CELL_H);
                if (v == FreezeGrid.NEVER) {
                    hatch(g, new Rectangle(x, y, CELL_W, CELL_H));
                }
                g.setColor(v == FreezeGrid.NEVER ? new Color(0x777777) : luminance(fill) > 0.55 ? Color.BLACK : Color.WHITE);
                g.drawString(text, x + (CELL_W - cm.stringWidth(text)) / 2, y + (CELL_H + cm.getAscent() - cm.getDescent()) / 2);
                g.setColor(GRID);
                g.setStroke(new BasicStroke(1.5f));
                g.drawRect(x, y, CELL_W, CELL_H);
            }
        }

        g.setFont(LABEL);
        FontMetrics lm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        for (int r = 0; r < rows; r++) {
            String label = grid.rows().get(r);
            g.drawString(label, x0 - 8 - lm.stringWidth(label), y0 + r * CELL_H + (CELL_H + lm.getAscent() - lm.getDescent()) / 2);
        }
        int bodyBottom = y0 + Math.max(rows * CELL_H, 0);
        for (int c = 0; c < cols; c++) {
            String label = grid.columns().get(c);
            AffineTransform saved = g.getTransform();
            g.translate(x0 + c * CELL_W + CELL_W / 2.0 + 4, bodyBottom + 8);
            g.rotate(Math.toRadians(-45));
            g.drawString(label, -lm.stringWidth(label), lm.getAscent() / 2);
            g.setTransform(saved);
        }

        g.setFont(AXIS);
        FontMetrics am = g.getFontMetrics();
        String xTitle = "matrix (module.role)";
        g.drawString(xTitle, x0 + (cols * CELL_W - am.stringWidth(xTitle)) / 2, bodyBottom + columnLabelHeight + am.getAscent());
        String yTitle = "encoder layer";
        AffineTransform saved = g.getTransform();
        g.translate(PAD + am.getAscent(), y0 + rows * CELL_H / 2.0 + am.stringWidth(yTitle) / 2.0);
        g.rotate(Math.toRadians(-90));
        g.drawString(yTitle, 0, 0);
        g.setTransform(saved);

        legend(g, x0 + cols * CELL_W + 24, y0, last);
    }

    private void legend(Graphics2D g, int x, int y, long last) {
        g.setFont(LABEL);
        FontMetrics lm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString("froze at step", x, y + lm.getAscent());
        int barTop = y + lm.getHeight() + 6;
        int barH = 110;
        int barW = 18;
        for (int i = 0; i < SCALE.length - 1; i++) {
            int a = barTop + barH * i / (SCALE.length - 1);
            int b = barTop + barH * (i + 1) / (SCALE.length - 1);
            g.setPaint(new GradientPaint(x, a, SCALE[i], x, b, SCALE[i + 1]));
            g.fillRect(x, a, barW, b - a);
        }
        g.setColor(new Color(0x999999));
        g.drawRect(x, barTop, barW, barH);
        g.setColor(Color.BLACK);
        g.drawString("1", x + barW + 6, barTop + lm.getAscent() / 2);
        g.drawString(String.format(Locale.ROOT, "%d", (last + 1) / 2), x + barW + 6, barTop + barH / 2 + lm.getAscent() / 2);
        g.drawString(String.format(Locale.ROOT, "%d", last), x + barW + 6, barTop + barH + lm.getAscent() / 2);
        int sy = barTop + barH + 18;
        g.setColor(START);
        g.fillRect(x, sy, barW, 14);
        g.setColor(Color.BLACK);
        g.drawString("frozen from start", x + barW + 6, sy + 12);
        sy += 22;
        g.setColor(NEVER);
        g.fillRect(x, sy, barW, 14);
        hatch(g, new Rectangle(x, sy, barW, 14));
        g.setColor(new Color(0x999999));
        g.drawRect(x, sy, barW, 14);
        g.setColor(Color.BLACK);
        g.drawString("never frozen", x + barW + 6, sy + 12);
    }

    private static void hatch(Graphics2D g, Rectangle r) {
        Shape clip = g.getClip();
        g.clip(r);
        g.setColor(HATCH);
        g.setStroke(new BasicStroke(1f));
        for (int d = -r.height; d < r.width; d += 7) {
            g.drawLine(r.x + d, r.y + r.height, r.x + d + r.height, r.y);
        }
        g.setClip(clip);
    }

    /** The scale's colour at {@code t} in [0, 1]. */
    static Color scale(double t) {
        double u = Math.max(0, Math.min(1, t)) * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) Math.floor(u));
        double f = u - i;
        Color a = SCALE[i];
        Color b = SCALE[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }
}
