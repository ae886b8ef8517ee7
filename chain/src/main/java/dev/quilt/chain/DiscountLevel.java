package dev.quilt.chain;

/**
 * A balance-based discount: a twin whose balance covers at least {@code monthsTenths}/10 months of
 * the bill being charged pays {@code percentPaid} percent of it.
 */
public record DiscountLevel(String name, int monthsTenths, int percentPaid) {
    public static final int MAX_NAME = 16;

    public DiscountLevel {
        if (monthsTenths <= 0 || percentPaid < 0 || percentPaid > 100) {
            throw new IllegalArgumentException("bad discount level " + name + ": " + monthsTenths + " / " + percentPaid);
        }
    }
}
